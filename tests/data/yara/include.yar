// vigil test rules (Apache-2.0): include resolves relative to this file.
include "meta.yar"

rule included_ok
{
    condition:
        with_metas
}
