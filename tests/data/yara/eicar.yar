// vigil test rules (Apache-2.0, written for this project).
rule eicar_string : test antivirus
{
    meta:
        author = "vigil project"
        reference = "https://www.eicar.org/download-anti-malware-testfile/"
        severity = 3
        is_test = true
    strings:
        $e = "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!"
    condition:
        $e
}
