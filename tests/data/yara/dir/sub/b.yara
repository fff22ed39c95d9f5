// vigil test rules (Apache-2.0): same rule name as in a.yar.
rule same_name { strings: $a = "dir-marker-b" condition: $a }
