// vigil test rules (Apache-2.0): metas a rule licence requires.
rule with_metas : apt campaign
{
    meta:
        author = "Jane Analyst"
        reference = "https://example.org/reports/apt-x"
        version = 2
    strings:
        $a = "campaign-marker-7f3a"
    condition:
        $a
}
