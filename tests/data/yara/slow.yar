// vigil test rules (Apache-2.0): quadratic condition, for the per-scan timeout test.
rule slow_quadratic
{
    condition:
        for all i in (0..filesize - 1) : (
            for all j in (0..filesize - 1) : ( uint8(i) != 0xff or uint8(j) != 0xfe )
        )
}
