// vigil test rules (Apache-2.0): a deliberate syntax error on line 7.
rule broken
{
    strings:
        $a = "xyzzy-broken"
    condition
        $a
}
