// vigil test rules (Apache-2.0): a hex string with wildcards and a jump.
rule hex_wildcards
{
    strings:
        $h = { 4D 5A ?? 00 [2-4] DE AD ?? EF }
    condition:
        $h at 0
}
