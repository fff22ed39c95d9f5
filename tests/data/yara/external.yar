// vigil test rules (Apache-2.0): uses external variables (-d).
rule external_owner
{
    condition:
        owner == "mallory" and min_size <= filesize
}
