// vigil test rules (Apache-2.0): compiles with a warning (slow string).
rule slowish
{
    strings:
        $a = { 00 ?? }
    condition:
        $a
}
