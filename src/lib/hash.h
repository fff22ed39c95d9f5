/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hash.h — fast non-cryptographic hashing for in-memory tables.
 *
 * vg_hash64() is a wyhash-style mix over 8-byte words: stable across runs
 * and builds on the same endianness (the compiled snapshot stores tables
 * built with it, so it must never change without bumping the format
 * version).  Not for adversarial keys that an attacker chooses to collide:
 * tables keyed by packet data salt the seed (vg_hash64(p, n, seed)).
 */
#ifndef VG_HASH_H
#define VG_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t vg_mum(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}
static inline uint64_t vg_rd64le(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}
static inline uint64_t vg_rd32le(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

#define VG_H_P0 0xa0761d6478bd642full
#define VG_H_P1 0xe7037ed1a0b428dbull
#define VG_H_P2 0x8ebc6af09c88c6e3ull

/* vg_hash64: hash n bytes at p with seed. */
static inline uint64_t vg_hash64(const void *key, size_t n, uint64_t seed)
{
	const uint8_t *p = (const uint8_t *)key;
	uint64_t a, b;
	seed ^= VG_H_P0;
	if (n <= 16) {
		if (n >= 4) {
			a = vg_rd32le(p) << 32 | vg_rd32le(p + ((n >> 3) << 2));
			b = vg_rd32le(p + n - 4) << 32 | vg_rd32le(p + n - 4 - ((n >> 3) << 2));
		} else if (n > 0) {
			a = (uint64_t)p[0] << 16 | (uint64_t)p[n >> 1] << 8 | p[n - 1];
			b = 0;
		} else {
			a = b = 0;
		}
	} else {
		size_t i = n;
		while (i > 16) {
			seed = vg_mum(vg_rd64le(p) ^ VG_H_P1, vg_rd64le(p + 8) ^ seed);
			p += 16;
			i -= 16;
		}
		a = vg_rd64le(p + i - 16);
		b = vg_rd64le(p + i - 8);
	}
	return vg_mum(VG_H_P1 ^ n, vg_mum(a ^ VG_H_P1, b ^ seed));
}

/* vg_hash_u64: mix one 64-bit integer. */
static inline uint64_t vg_hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

#endif
