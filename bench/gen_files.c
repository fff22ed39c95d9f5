// SPDX-License-Identifier: Apache-2.0
/*
 * gen_files.c — deterministic file tree for the `vigil scan` benchmark.
 *
 *   gen_files DIR [TOTAL_MB] [NFILES] [SEED]     (defaults 1024, 2000, 1)
 *
 * Writes NFILES files (sizes log-spread around TOTAL_MB/NFILES, summing to
 * about TOTAL_MB MiB) into DIR/tree/NN/, a third random bytes, a third text
 * (words and lines), a third mixed (text with random blocks); EICAR is
 * embedded in every 400th file.  Also writes DIR/rules.yar (50 string rules
 * + 5 hex rules with wildcards), DIR/eicar.sha256 (a plain feed),
 * DIR/custom.hsb (ClamAV) and DIR/three.txt (MD5 + SHA-1 + SHA-256 feed).
 * Same arguments, same bytes (xorshift64*, no libc rand).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static uint64_t rs;
static uint64_t rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return rs * 2685821657736338717ull;
}

static const char eicar[] =
	"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
static const char *const words[] = {"the", "device", "network", "camera", "router", "firmware",
	"update", "config", "password", "admin", "login", "session", "packet", "server", "client",
	"error", "warning", "kernel", "module", "service", "http", "request", "response", "token"};

static void fill_text(uint8_t *p, size_t n)
{
	size_t i = 0, col = 0;
	while (i < n) {
		const char *w = words[rnd() % (sizeof words / sizeof words[0])];
		size_t l = strlen(w);
		for (size_t k = 0; k < l && i < n; k++)
			p[i++] = (uint8_t)w[k];
		col += l + 1;
		if (i < n)
			p[i++] = col > 70 ? '\n' : ' ';
		if (col > 70)
			col = 0;
	}
}

static void fill_rand(uint8_t *p, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t v = rnd();
		memcpy(p + i, &v, 8);
	}
	for (; i < n; i++)
		p[i] = (uint8_t)rnd();
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gen_files DIR [TOTAL_MB] [NFILES] [SEED]\n");
		return 2;
	}
	const char *dir = argv[1];
	uint64_t total = (argc > 2 ? strtoull(argv[2], NULL, 10) : 1024) << 20;
	unsigned nfiles = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 2000;
	rs = (argc > 4 ? strtoull(argv[4], NULL, 10) : 1) * 0x9E3779B97F4A7C15ull + 1;
	if (!nfiles || !total) {
		fprintf(stderr, "gen_files: bad sizes\n");
		return 2;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/tree", dir);
	if ((mkdir(dir, 0755) && errno != EEXIST) || (mkdir(path, 0755) && errno != EEXIST)) {
		perror(dir);
		return 1;
	}
	/* sizes: weights 2^(u*6) spread over 64x, scaled to total */
	double *w = malloc(nfiles * sizeof *w), sum = 0;
	if (!w)
		return 1;
	for (unsigned i = 0; i < nfiles; i++) {
		double u = (double)(rnd() >> 11) / 9007199254740992.0;
		w[i] = 1.0;
		for (int k = 0; k < (int)(u * 6); k++)
			w[i] *= 2.0;
		sum += w[i];
	}
	size_t maxsz = 0;
	for (unsigned i = 0; i < nfiles; i++) {
		size_t sz = (size_t)((double)total * w[i] / sum);
		if (sz > maxsz)
			maxsz = sz;
	}
	uint8_t *buf = malloc(maxsz + 256);
	if (!buf)
		return 1;
	uint64_t written = 0;
	for (unsigned i = 0; i < nfiles; i++) {
		size_t sz = (size_t)((double)total * w[i] / sum);
		if (sz < 100)
			sz = 100;
		int kind = (int)(i % 3);
		if (kind == 0)
			fill_rand(buf, sz);
		else if (kind == 1)
			fill_text(buf, sz);
		else {
			fill_text(buf, sz);
			for (size_t off = 0; off + 4096 <= sz; off += 16384)
				fill_rand(buf + off, 4096);
		}
		if (i % 400 == 7)
			memcpy(buf + (rnd() % (sz - sizeof eicar)), eicar, sizeof eicar - 1);
		if (i % 100 == 0) {
			snprintf(path, sizeof path, "%s/tree/%02u", dir, i / 100);
			if (mkdir(path, 0755) && errno != EEXIST) {
				perror(path);
				return 1;
			}
		}
		snprintf(path, sizeof path, "%s/tree/%02u/f%05u.%s", dir, i / 100, i,
			 kind == 0 ? "bin" : kind == 1 ? "txt" : "dat");
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(buf, 1, sz, f) != sz || fclose(f)) {
			perror(path);
			return 1;
		}
		written += sz;
	}
	/* rules: 50 string rules, 5 hex rules with wildcards */
	snprintf(path, sizeof path, "%s/rules.yar", dir);
	FILE *r = fopen(path, "w");
	if (!r)
		return 1;
	for (int i = 0; i < 50; i++) {
		char s[16];
		for (int k = 0; k < 12; k++)
			s[k] = (char)('a' + rnd() % 26);
		s[12] = '\0';
		fprintf(r, "rule str_%02d { meta: author = \"vigil bench\" strings: $a = \"%s\" "
			"$b = \"%s-%d\" nocase condition: any of them }\n", i, s, words[i % 24], i);
	}
	for (int i = 0; i < 5; i++)
		fprintf(r, "rule hex_%d { strings: $h = { 4D 5A ?? ?? %02X [2-4] %02X ?? 50 45 } "
			"condition: $h }\n", i, (unsigned)(rnd() & 0xff), (unsigned)(rnd() & 0xff));
	fprintf(r, "rule eicar { meta: author = \"vigil bench\" strings: $e = \"EICAR-STANDARD-"
		"ANTIVIRUS-TEST-FILE\" condition: $e }\n");
	fclose(r);
	/* feeds: the EICAR file itself never exists whole, so list unrelated
	 * digests plus one of a real file (f00000) */
	snprintf(path, sizeof path, "%s/eicar.sha256", dir);
	FILE *fe = fopen(path, "w");
	if (!fe)
		return 1;
	fprintf(fe, "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f\n");
	fclose(fe);
	snprintf(path, sizeof path, "%s/three.txt", dir);
	fe = fopen(path, "w");
	if (!fe)
		return 1;
	fprintf(fe, "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f\n"
		"3395856ce81f2b7382dee72602f798b642f14140\n44d88612fea8a8f36de82e1278abb02f\n");
	fclose(fe);
	snprintf(path, sizeof path, "%s/custom.hsb", dir);
	fe = fopen(path, "w");
	if (!fe)
		return 1;
	fprintf(fe, "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f:68:"
		"Eicar-Test-Signature\n");
	fclose(fe);
	printf("%u files, %llu bytes in %s/tree\n", nfiles, (unsigned long long)written, dir);
	free(buf);
	free(w);
	return 0;
}
