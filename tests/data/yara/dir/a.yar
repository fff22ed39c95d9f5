// vigil test rules (Apache-2.0): same rule name as in sub/b.yara.
rule same_name { strings: $a = "dir-marker-a" condition: $a }
