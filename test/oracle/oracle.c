// Kernel oracle: loads and test-runs BPF programs through libbpf and prints the kernel's answer as JSON.
//
// Rules this tool keeps (see README.md): it only creates maps, loads programs, test-runs them and closes
// everything. It never attaches, never pins, never changes a sysctl. Input comes from flags and files so
// that no JSON parser is needed here; output is one JSON document on stdout.
//
// Exit status: 0 the tool worked (a rejected program is still a success), 2 usage or input error,
// 3 bpf() itself is refused (then stdout is {"unavailable":"reason"}).
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <netinet/tcp.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif
#ifndef ENOTSUPP
#define ENOTSUPP 524 /* kernel-internal errno that bpf() does return to user space */
#endif

#define EXIT_USAGE 2
#define EXIT_UNAVAILABLE 3

/* Verifier log buffer: start here, multiply by 4 on ENOSPC, stop at 64 MiB. */
#define LOG_SIZE_START (1u << 20)
#define LOG_SIZE_MAX (64u << 20)
/* Room past the input packet for test runs that grow it (bpf_xdp_adjust_tail, skb pushes). */
#define DATA_OUT_SLACK (64u << 10)
#define CTX_OUT_SIZE 4096u
/* Dumps stop here so that a huge array cannot flood the output; "truncated" says so. */
#define MAX_DUMP_ENTRIES 65536u
#define LD_IMM64_CODE (BPF_LD | BPF_IMM | BPF_DW)

/* ---------------------------------------------------------------- output buffer and JSON writer */

struct text {
  char *buf;
  size_t len, cap;
};

static void *xrealloc(void *ptr, size_t size) {
  void *grown = realloc(ptr, size ? size : 1);
  if (!grown) {
    fputs("oracle: out of memory\n", stderr);
    exit(1);
  }
  return grown;
}

static void text_reserve(struct text *t, size_t more) {
  if (t->len + more + 1 <= t->cap) return;
  size_t cap = t->cap ? t->cap : 4096;
  while (cap < t->len + more + 1) cap *= 2;
  t->buf = xrealloc(t->buf, cap);
  t->cap = cap;
}

static void text_add(struct text *t, const char *s, size_t n) {
  text_reserve(t, n);
  memcpy(t->buf + t->len, s, n);
  t->len += n;
  t->buf[t->len] = '\0';
}

static void text_puts(struct text *t, const char *s) { text_add(t, s, strlen(s)); }

static void text_vprintf(struct text *t, const char *fmt, va_list ap) {
  va_list again;
  va_copy(again, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  if (n > 0) {
    text_reserve(t, (size_t)n);
    vsnprintf(t->buf + t->len, (size_t)n + 1, fmt, again);
    t->len += (size_t)n;
  }
  va_end(again);
}

static void text_printf(struct text *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  text_vprintf(t, fmt, ap);
  va_end(ap);
}

/* Length of the valid UTF-8 sequence at p, or 0: JSON must be UTF-8, so stray bytes get escaped. */
static size_t utf8_sequence_length(const unsigned char *p, size_t avail) {
  size_t need;
  uint32_t cp;
  if (p[0] < 0x80) return 1;
  if ((p[0] & 0xe0) == 0xc0) need = 2, cp = p[0] & 0x1f;
  else if ((p[0] & 0xf0) == 0xe0) need = 3, cp = p[0] & 0x0f;
  else if ((p[0] & 0xf8) == 0xf0) need = 4, cp = p[0] & 0x07;
  else return 0;
  if (avail < need) return 0;
  for (size_t i = 1; i < need; i++) {
    if ((p[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3f);
  }
  static const uint32_t smallest[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < smallest[need] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return need;
}

/* Writes s (n bytes) as a quoted JSON string; invalid UTF-8 bytes become \u00XX (their Latin-1 reading). */
static void json_string_n(struct text *t, const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  text_add(t, "\"", 1);
  for (size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c == '"' || c == '\\') {
      char esc[2] = {'\\', (char)c};
      text_add(t, esc, 2);
      i++;
    } else if (c == '\n') {
      text_add(t, "\\n", 2), i++;
    } else if (c == '\t') {
      text_add(t, "\\t", 2), i++;
    } else if (c == '\r') {
      text_add(t, "\\r", 2), i++;
    } else if (c < 0x20 || c == 0x7f) {
      text_printf(t, "\\u%04x", c), i++;
    } else {
      size_t len = utf8_sequence_length(p + i, n - i);
      if (len == 0) {
        text_printf(t, "\\u%04x", c), i++;
      } else {
        text_add(t, s + i, len);
        i += len;
      }
    }
  }
  text_add(t, "\"", 1);
}

static void json_string(struct text *t, const char *s) {
  if (!s) text_puts(t, "null");
  else json_string_n(t, s, strlen(s));
}

/* Bytes as a quoted lowercase hex string, in memory order. */
static void json_hex(struct text *t, const void *bytes, size_t n) {
  static const char digits[] = "0123456789abcdef";
  const unsigned char *p = bytes;
  text_reserve(t, 2 * n + 2);
  t->buf[t->len++] = '"';
  for (size_t i = 0; i < n; i++) {
    t->buf[t->len++] = digits[p[i] >> 4];
    t->buf[t->len++] = digits[p[i] & 15];
  }
  t->buf[t->len++] = '"';
  t->buf[t->len] = '\0';
}

static const char *errno_name(int err) {
  if (err == ENOTSUPP) return "ENOTSUPP";
  const char *name = strerrorname_np(err);
  return name ? name : "E?";
}

/* "EPERM (Operation not permitted)", for human-readable reasons. */
static const char *errno_text(int err) {
  static char buf[160];
  snprintf(buf, sizeof(buf), "%s (%s)", errno_name(err), err == ENOTSUPP ? "Operation not supported" : strerror(err));
  return buf;
}

/* ---------------------------------------------------------------- failures */

static void usage_text(FILE *f) {
  fputs("usage:\n"
        "  oracle probe\n"
        "  oracle insns --type TYPE --insns FILE.bin [--name NAME] [--license GPL] [--log-level N]\n"
        "               [--prog-flags N] [--expected-attach-type NAME] [--unpriv]\n"
        "               [--caps bpf,perfmon,net_admin,sys_admin]\n"
        "               [--map TYPE:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES[:FLAGS[:INNER_MAP_IDX]]]...\n"
        "               [--map-init IDX:KEYHEX:VALUEHEX]... [--data FILE] [--ctx FILE] [--repeat N]\n"
        "               [--run] [--dump-maps] [--want-processed] [--test-flags N] [--test-cpu N]\n"
        "               [--ctx-out]\n"
        "               (--insns-hex HEX instead of --insns FILE.bin: the instructions inline)\n"
        "  oracle batch FILE|-   one `insns` argument list per line; one JSON line per program\n"
        "  oracle object FILE.o [--program NAME] [--log-level N] [--data FILE] [--ctx FILE]\n"
        "               [--repeat N] [--run] [--dump-maps] [--type PROG:TYPE]...\n"
        "               [--expected-attach-type PROG:TYPE]... [--max-entries MAP:N]...\n"
        "               [--set-global VAR:HEX]... [--map-init MAP:KEYHEX:VALUEHEX]... (KEYHEX @N: socket N's fd)\n"
        "               [--test-flags N] [--test-cpu N] [--ctx-out] [--caps LIST]\n"
        "               [--kconfig FILE]   (CONFIG_X=... lines, libbpf's kconfig open option)\n"
        "               [--user-ringbuf MAP:[~|!]HEX]...  (a sample submitted, ~ discarded, ! left reserved)\n"
        "               [--cgroup-array MAP:INDEX:PATH]...  (a cgroup directory's fd at INDEX)\n"
        "  oracle mapops --map TYPE:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES[:FLAGS] [--map-extra N]\n"
        "               [--op update:KEYHEX:VALUEHEX:FLAGS | delete:KEYHEX | lookup:KEYHEX[:VALUEHEX] | next:KEYHEX|-\n"
        "                     | lookup_and_delete:KEYHEX]...   (KEYHEX '-' or empty: no key)\n"
        "  oracle --netns MODE ...   any mode, in a fresh network namespace (only lo, down)\n"
        "  oracle --netns [--netns-socket tcp-listen:PORT | udp:PORT | tcp-connect:SPORT:DPORT\n"
        "                 | tcp6-listen:PORT | udp6:PORT | tcp-listen-reuseport:PORT | udp-reuseport:PORT]... MODE ...\n"
        "               lo brought up and sockets on 127.0.0.1 (::1) opened first (kept until exit)\n"
        "               more specs: tcp6-listen-dual:PORT | udp6-dual:PORT (on ::, IPV6_V6ONLY 0)\n"
        "                 | tcp6-listen-any:PORT (on ::, IPV6_V6ONLY 1) | tcp-listen-dev:PORT:DEV | udp-dev:PORT:DEV\n"
        "                 (127.0.0.1, SO_BINDTODEVICE) | tcp-request:LPORT:CPORT (a listener with TCP_DEFER_ACCEPT\n"
        "                 and a client whose handshake it keeps as a request socket) | tcp6-request-dual:LPORT:CPORT\n"
        "                 (the same on a dual-stack :: listener, IPv4 client) | tcp-time-wait:LPORT:CPORT (the\n"
        "                 client end of a closed connection) | veth:NAME:PEER (a veth pair, down)\n"
        "                 | netns-id:N (the namespace's id for itself) | peer:ID:SPEC (SPEC in a second fresh\n"
        "                 namespace, made on first use, that this one knows by ID); object mode\n"
        "               takes [--netns-sockmap MAP:KEYHEX:SOCKET]... (socket number SOCKET, from 0, in a sockmap,\n"
        "               sockhash or reuseport_sockarray after load), mapops a value @SOCKET (that socket's fd); both report\n"
        "               \"netnsSocketCookies\" (SO_COOKIE of each socket, as decimal strings)\n"
        "  oracle --netns [--netns-ip 'ARGS']... MODE ...\n"
        "               `ip ARGS` run in the fresh namespace first (iproute2; ARGS split on spaces, no shell)\n"
        "  oracle [--netns ...] ip 'ARGS'...   each `ip ARGS` run and reported: {\"ip\":[{args,status,stdout,stderr}]}\n",
        f);
}

/* Bad flags or unreadable input: {"error":...} on stdout, usage on stderr, exit 2. */
static void __attribute__((noreturn, format(printf, 1, 2))) usage_error(const char *fmt, ...) {
  struct text msg = {0}, out = {0};
  va_list ap;
  va_start(ap, fmt);
  text_vprintf(&msg, fmt, ap);
  va_end(ap);
  text_puts(&out, "{\"error\":");
  json_string(&out, msg.buf);
  text_puts(&out, "}\n");
  fputs(out.buf, stdout);
  fprintf(stderr, "oracle: %s\n", msg.buf);
  usage_text(stderr);
  exit(EXIT_USAGE);
}

/* bpf() refused on a trivial request: nothing this tool says would mean anything. */
static void require_bpf(void) {
  int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "oracle_probe", 4, 4, 1, NULL);
  if (fd >= 0) {
    close(fd);
    return;
  }
  int err = errno;
  struct text out = {0}, reason = {0};
  text_printf(&reason, "bpf(BPF_MAP_CREATE) of a 1-entry array map failed: %s", errno_text(err));
  text_puts(&out, "{\"unavailable\":");
  json_string(&out, reason.buf);
  text_puts(&out, "}\n");
  fputs(out.buf, stdout);
  exit(EXIT_UNAVAILABLE);
}

/* ---------------------------------------------------------------- input parsing */

static uint8_t *read_whole_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) usage_error("cannot open %s: %s", path, strerror(errno));
  size_t cap = 4096, n = 0;
  uint8_t *buf = xrealloc(NULL, cap);
  for (;;) {
    if (n == cap) buf = xrealloc(buf, cap *= 2);
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  bool failed = ferror(f);
  fclose(f);
  if (failed) usage_error("cannot read %s", path);
  *len = n;
  return buf;
}

static unsigned long long parse_number(const char *s, const char *what) {
  char *end;
  errno = 0;
  if (!*s || *s == '-') usage_error("%s: not a non-negative number: '%s'", what, s);
  unsigned long long v = strtoull(s, &end, 0);
  if (errno || *end) usage_error("%s: not a number: '%s'", what, s);
  return v;
}

static uint32_t parse_u32(const char *s, const char *what) {
  unsigned long long v = parse_number(s, what);
  if (v > UINT32_MAX) usage_error("%s: out of range: '%s'", what, s);
  return (uint32_t)v;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static uint8_t *parse_hex(const char *s, size_t n_chars, size_t *len, const char *what) {
  if (n_chars % 2) usage_error("%s: odd number of hex digits", what);
  uint8_t *out = xrealloc(NULL, n_chars / 2);
  for (size_t i = 0; i < n_chars; i += 2) {
    int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);
    if (hi < 0 || lo < 0) usage_error("%s: not hex: '%.*s'", what, (int)n_chars, s);
    out[i / 2] = (uint8_t)(hi << 4 | lo);
  }
  *len = n_chars / 2;
  return out;
}

/* Kernel enum names without prefix, lowercase, as libbpf spells them; a plain number is accepted too,
 * for enum values newer than this libbpf. */
static int parse_prog_type(const char *name) {
  for (int i = 0; i < 256; i++) {
    const char *s = libbpf_bpf_prog_type_str((enum bpf_prog_type)i);
    if (s && !strcmp(s, name)) return i;
  }
  if (name[0] >= '0' && name[0] <= '9') return (int)parse_u32(name, "--type");
  usage_error("unknown program type '%s'", name);
}

static int parse_map_type(const char *name) {
  for (int i = 0; i < 256; i++) {
    const char *s = libbpf_bpf_map_type_str((enum bpf_map_type)i);
    if (s && !strcmp(s, name)) return i;
  }
  if (name[0] >= '0' && name[0] <= '9') return (int)parse_u32(name, "map type");
  usage_error("unknown map type '%s'", name);
}

static int parse_attach_type(const char *name) {
  for (int i = 0; i < 256; i++) {
    const char *s = libbpf_bpf_attach_type_str((enum bpf_attach_type)i);
    if (s && !strcmp(s, name)) return i;
  }
  if (name[0] >= '0' && name[0] <= '9') return (int)parse_u32(name, "--expected-attach-type");
  usage_error("unknown attach type '%s'", name);
}

static void json_prog_type(struct text *t, int type) {
  const char *s = libbpf_bpf_prog_type_str((enum bpf_prog_type)type);
  if (s) json_string(t, s);
  else text_printf(t, "\"%d\"", type);
}

static void json_map_type(struct text *t, int type) {
  const char *s = libbpf_bpf_map_type_str((enum bpf_map_type)type);
  if (s) json_string(t, s);
  else text_printf(t, "\"%d\"", type);
}

/* ---------------------------------------------------------------- verifier log helpers */

/* The last "processed N insns" line the verifier printed, or -1. */
static long long processed_from_log(const char *log) {
  long long found = -1;
  for (const char *p = log; (p = strstr(p, "processed ")) != NULL; p++) {
    unsigned long long n;
    char word[8];
    if (sscanf(p, "processed %llu %7s", &n, word) == 2 && !strcmp(word, "insns")) found = (long long)n;
  }
  return found;
}

/* ---------------------------------------------------------------- map dumps */

static bool is_percpu_map(int type) {
  return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
         type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

static bool is_hash_map(int type) {
  return type == BPF_MAP_TYPE_HASH || type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_LRU_HASH ||
         type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

/* Bytes a lookup from user space writes: percpu maps give every possible CPU's value, 8-byte aligned. */
static size_t user_value_size(int type, uint32_t value_size) {
  if (!is_percpu_map(type)) return value_size;
  int cpus = libbpf_num_possible_cpus();
  if (cpus < 1) cpus = 1;
  return (((size_t)value_size + 7) & ~(size_t)7) * (size_t)cpus;
}

struct dump_entry {
  uint8_t *key, *value;
};

static size_t sort_key_size;
static int compare_entries(const void *a, const void *b) {
  return memcmp(((const struct dump_entry *)a)->key, ((const struct dump_entry *)b)->key, sort_key_size);
}

/* Writes "entries":[...] (plus "truncated") or "entries":null,"notIterable":"why". Arrays keep the kernel's
 * index order; hash-like maps are sorted by key bytes so the output does not depend on bucket order. */
static void json_map_entries(struct text *t, int fd, int type, uint32_t key_size, uint32_t value_size) {
  if (key_size == 0) {
    text_puts(t, "\"entries\":null,\"notIterable\":\"map type has no keys (get_next_key not supported)\"");
    return;
  }
  size_t vsize = user_value_size(type, value_size);
  struct dump_entry *entries = NULL;
  size_t count = 0;
  bool truncated = false;
  const char *failed_op = NULL;
  int failed_errno = 0;
  uint8_t *prev = NULL, *next = xrealloc(NULL, key_size);
  for (;;) {
    if (bpf_map_get_next_key(fd, prev, next)) {
      if (errno != ENOENT) failed_op = "get_next_key", failed_errno = errno;
      break;
    }
    if (count == MAX_DUMP_ENTRIES) {
      truncated = true;
      break;
    }
    uint8_t *value = xrealloc(NULL, vsize);
    if (bpf_map_lookup_elem(fd, next, value)) {
      int err = errno;
      free(value);
      if (err != ENOENT) {
        failed_op = "lookup", failed_errno = err;
        break;
      }
      /* empty slot (prog_array, array of maps, an entry deleted meanwhile): not an entry */
    } else {
      entries = xrealloc(entries, (count + 1) * sizeof(*entries));
      entries[count].key = xrealloc(NULL, key_size);
      memcpy(entries[count].key, next, key_size);
      entries[count].value = value;
      count++;
    }
    if (!prev) prev = xrealloc(NULL, key_size);
    memcpy(prev, next, key_size);
  }
  if (failed_op) {
    text_printf(t, "\"entries\":null,\"notIterable\":\"%s: %s\"", failed_op, errno_name(failed_errno));
  } else {
    if (is_hash_map(type) && count > 1) {
      sort_key_size = key_size;
      qsort(entries, count, sizeof(*entries), compare_entries);
    }
    text_puts(t, "\"entries\":[");
    for (size_t i = 0; i < count; i++) {
      text_puts(t, i ? ",{\"key\":" : "{\"key\":");
      json_hex(t, entries[i].key, key_size);
      text_puts(t, ",\"value\":");
      json_hex(t, entries[i].value, vsize);
      text_puts(t, "}");
    }
    text_puts(t, "]");
    if (truncated) text_puts(t, ",\"truncated\":true");
  }
  for (size_t i = 0; i < count; i++) free(entries[i].key), free(entries[i].value);
  free(entries);
  free(prev);
  free(next);
}

/* ---------------------------------------------------------------- test runs */

struct run_input {
  bool requested;
  uint8_t *data;
  size_t data_len;
  bool has_data;
  uint8_t *ctx;
  size_t ctx_len;
  bool has_ctx;
  int repeat;
  bool has_repeat;
  /* --data-size-out / --ctx-size-out: the room given for data_out / ctx_out instead of the defaults */
  uint32_t data_size_out, ctx_size_out;
  bool has_data_size_out, has_ctx_size_out;
  /* --test-flags / --test-cpu: test.flags and test.cpu (BPF_F_TEST_RUN_ON_CPU and friends) */
  uint32_t flags, cpu;
  /* --ctx-out: pass a ctx_out buffer even without ctx_in or where the type refuses one, to see its answer */
  bool want_ctx_out;
};

/* Program types whose test_run refuses ctx_out (EINVAL); syscall programs write the context back into
 * ctx_in instead, so their ctxOut is the ctx_in buffer after the run. */
static bool ctx_out_refused(int type) {
  return type == BPF_PROG_TYPE_RAW_TRACEPOINT || type == BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE ||
         type == BPF_PROG_TYPE_TRACING || type == BPF_PROG_TYPE_SYSCALL || type == BPF_PROG_TYPE_STRUCT_OPS ||
         type == BPF_PROG_TYPE_LSM;
}

/* Writes "testRun":{...} or "testRun":null. Only the inputs the caller gave are passed (types such as
 * raw_tracepoint refuse data, repeat or ctx_out they did not ask for). */
static void json_test_run(struct text *t, int prog_fd, int type, const struct run_input *in) {
  if (!in->requested || prog_fd < 0) {
    text_puts(t, "\"testRun\":null");
    return;
  }
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  uint8_t *data_out = NULL, *ctx_out = NULL, *ctx_in = NULL;
  uint32_t data_room = 0, ctx_room = 0;
  if (in->has_data) {
    opts.data_in = in->data;
    opts.data_size_in = (uint32_t)in->data_len;
    opts.data_size_out = in->has_data_size_out ? in->data_size_out : (uint32_t)in->data_len + DATA_OUT_SLACK;
    /* data_size_out 0 means "no limit" to the kernel: give the default room then */
    data_room = opts.data_size_out ? opts.data_size_out : (uint32_t)in->data_len + DATA_OUT_SLACK;
    data_out = xrealloc(NULL, data_room);
    opts.data_out = data_out;
  }
  if (in->has_ctx) {
    ctx_in = xrealloc(NULL, in->ctx_len);
    memcpy(ctx_in, in->ctx, in->ctx_len);
    opts.ctx_in = ctx_in;
    opts.ctx_size_in = (uint32_t)in->ctx_len;
    if (!ctx_out_refused(type)) {
      opts.ctx_size_out = in->has_ctx_size_out                 ? in->ctx_size_out
                          : in->ctx_len > CTX_OUT_SIZE ? (uint32_t)in->ctx_len
                                                       : CTX_OUT_SIZE;
      ctx_room = opts.ctx_size_out ? opts.ctx_size_out : CTX_OUT_SIZE;
      ctx_out = xrealloc(NULL, ctx_room);
      opts.ctx_out = ctx_out;
    }
  }
  if (in->want_ctx_out && !ctx_out) {
    opts.ctx_size_out = in->has_ctx_size_out ? in->ctx_size_out : CTX_OUT_SIZE;
    ctx_room = opts.ctx_size_out ? opts.ctx_size_out : CTX_OUT_SIZE;
    ctx_out = xrealloc(NULL, ctx_room);
    opts.ctx_out = ctx_out;
  }
  if (in->has_repeat) opts.repeat = in->repeat;
  opts.flags = in->flags;
  opts.cpu = in->cpu;
  int err = bpf_prog_test_run_opts(prog_fd, &opts) ? errno : 0;
  text_printf(t, "\"testRun\":{\"retval\":%u,\"dataOut\":", err && err != ENOSPC ? 0u : opts.retval);
  /* ENOSPC still copies what fit and reports the full size, so the bytes that fit are shown */
  uint32_t data_shown = opts.data_size_out < data_room ? opts.data_size_out : data_room;
  json_hex(t, data_out ? data_out : (uint8_t *)"", data_out && (!err || err == ENOSPC) ? data_shown : 0);
  text_printf(t, ",\"dataSizeOut\":%u,\"ctxSizeOut\":%u", opts.data_size_out, opts.ctx_size_out);
  text_puts(t, ",\"ctxOut\":");
  if (ctx_out)
    json_hex(t, ctx_out, !err || err == ENOSPC ? (opts.ctx_size_out < ctx_room ? opts.ctx_size_out : ctx_room) : 0);
  else if (ctx_in && type == BPF_PROG_TYPE_SYSCALL && !err)
    json_hex(t, ctx_in, in->ctx_len);
  else
    json_hex(t, "", 0);
  text_printf(t, ",\"durationNs\":%u,\"errno\":%d}", err ? 0u : opts.duration, err);
  free(data_out);
  free(ctx_out);
  free(ctx_in);
}

/* ---------------------------------------------------------------- kernel's view of a loaded program */

struct prog_facts {
  long long xlated_insns; /* -1 when unknown */
  long long verified_insns;
};

static struct prog_facts prog_facts(int fd) {
  struct prog_facts facts = {-1, -1};
  struct bpf_prog_info info;
  uint32_t len = sizeof(info);
  memset(&info, 0, sizeof(info));
  if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len)) {
    facts.xlated_insns = info.xlated_prog_len / 8;
    if (len > offsetof(struct bpf_prog_info, verified_insns)) facts.verified_insns = info.verified_insns;
  }
  return facts;
}

/* "funcInfo":[...],"lineInfo":[...] as the kernel reports them for the loaded program. The kernel moves
 * these offsets when the verifier patches instructions, so they index the xlated program. */
static void json_func_line_info(struct text *t, int fd) {
  struct bpf_prog_info info;
  uint32_t len = sizeof(info);
  memset(&info, 0, sizeof(info));
  if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len)) {
    text_puts(t, "\"funcInfo\":null,\"lineInfo\":null");
    return;
  }
  uint32_t nr_func = info.nr_func_info, nr_line = info.nr_line_info, btf_id = info.btf_id;
  struct bpf_func_info *funcs = xrealloc(NULL, nr_func * sizeof(*funcs));
  struct bpf_line_info *lines = xrealloc(NULL, nr_line * sizeof(*lines));
  memset(&info, 0, sizeof(info));
  info.nr_func_info = nr_func;
  info.func_info_rec_size = sizeof(*funcs);
  info.func_info = (uint64_t)(uintptr_t)funcs;
  info.nr_line_info = nr_line;
  info.line_info_rec_size = sizeof(*lines);
  info.line_info = (uint64_t)(uintptr_t)lines;
  len = sizeof(info);
  if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
    text_puts(t, "\"funcInfo\":null,\"lineInfo\":null");
    free(funcs);
    free(lines);
    return;
  }
  if (info.nr_func_info < nr_func) nr_func = info.nr_func_info;
  if (info.nr_line_info < nr_line) nr_line = info.nr_line_info;
  struct btf *btf = btf_id ? btf__load_from_kernel_by_id(btf_id) : NULL;
  if (btf && libbpf_get_error(btf)) btf = NULL;
  text_puts(t, "\"funcInfo\":[");
  for (uint32_t i = 0; i < nr_func; i++)
    text_printf(t, "%s{\"insnOff\":%u,\"typeId\":%u}", i ? "," : "", funcs[i].insn_off, funcs[i].type_id);
  text_puts(t, "],\"lineInfo\":[");
  for (uint32_t i = 0; i < nr_line; i++) {
    text_printf(t, "%s{\"insnOff\":%u,\"line\":%u,\"col\":%u,\"file\":", i ? "," : "", lines[i].insn_off,
                BPF_LINE_INFO_LINE_NUM(lines[i].line_col), BPF_LINE_INFO_LINE_COL(lines[i].line_col));
    json_string(t, btf ? btf__name_by_offset(btf, lines[i].file_name_off) : NULL);
    text_puts(t, "}");
  }
  text_puts(t, "]");
  btf__free(btf);
  free(funcs);
  free(lines);
}

/* ---------------------------------------------------------------- capabilities for --unpriv, --caps */

/* The capabilities the verifier and bpf_prog_load() look at; --unpriv drops all of them, --caps keeps a subset. */
static const struct {
  const char *name;
  int cap;
} load_caps[] = {{"bpf", CAP_BPF}, {"perfmon", CAP_PERFMON}, {"net_admin", CAP_NET_ADMIN}, {"sys_admin", CAP_SYS_ADMIN}};
#define LOAD_CAPS_COUNT (sizeof(load_caps) / sizeof(load_caps[0]))
#define ALL_LOAD_CAPS ((1u << LOAD_CAPS_COUNT) - 1)
static struct __user_cap_data_struct saved_caps[2];

/* "bpf,net_admin" -> a mask over load_caps; an empty list keeps none. */
static unsigned parse_caps(const char *list) {
  unsigned kept = 0;
  char *copy = strdup(list);
  char *save = NULL;
  for (char *word = strtok_r(copy, ",", &save); word; word = strtok_r(NULL, ",", &save)) {
    size_t i = 0;
    while (i < LOAD_CAPS_COUNT && strcmp(word, load_caps[i].name)) i++;
    if (i == LOAD_CAPS_COUNT) usage_error("--caps: unknown capability '%s' (known: bpf,perfmon,net_admin,sys_admin)", word);
    kept |= 1u << i;
  }
  free(copy);
  return kept;
}

/* Drops the load caps not in `kept` from the effective set only, so restore_caps() can raise them again from
 * the permitted set: the rules matter at load time; info and test runs need no caps removed. */
static int drop_caps(unsigned kept) {
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  if (syscall(SYS_capget, &header, saved_caps)) return errno;
  struct __user_cap_data_struct lowered[2];
  memcpy(lowered, saved_caps, sizeof(lowered));
  for (size_t i = 0; i < LOAD_CAPS_COUNT; i++) {
    if (kept & (1u << i)) continue;
    int cap = load_caps[i].cap;
    lowered[cap / 32].effective &= ~(1u << (cap % 32));
  }
  if (syscall(SYS_capset, &header, lowered)) return errno;
  return 0;
}

static void restore_caps(void) {
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  syscall(SYS_capset, &header, saved_caps);
}

/* bpf_object__load with only `kept` of the load caps in the effective set (--caps). libbpf creates the object's
 * maps inside the load, so unlike insns mode they are created with those capabilities too. */
static int load_object_with_caps(struct bpf_object *obj, unsigned kept) {
  bool lowered = kept != ALL_LOAD_CAPS;
  int caps_errno = lowered ? drop_caps(kept) : 0;
  if (caps_errno) usage_error("--caps: capset failed: %s", errno_text(caps_errno));
  int err = bpf_object__load(obj);
  if (lowered) restore_caps();
  return err;
}

/* -1 when the sysctl cannot be read. Reading it is all this tool does with it. */
static int unprivileged_bpf_disabled(void) {
  FILE *f = fopen("/proc/sys/kernel/unprivileged_bpf_disabled", "r");
  int v = -1;
  if (f) {
    if (fscanf(f, "%d", &v) != 1) v = -1;
    fclose(f);
  }
  return v;
}

/* ---------------------------------------------------------------- common flags */

struct object_config;

struct common_flags {
  int log_level;
  struct run_input run;
  bool dump_maps;
  /* --caps LIST: the load capabilities kept in the effective set for the load (all four by default) */
  unsigned kept_caps;
  /* object mode only: what to configure between open and load, and to write after load */
  const struct object_config *config;
};

/* Consumes one flag shared by both modes; returns how many argv slots it used, 0 if not ours. */
static int parse_common_flag(struct common_flags *c, int argc, char **argv, int i) {
  const char *flag = argv[i];
  bool takes_value = !strcmp(flag, "--log-level") || !strcmp(flag, "--data") || !strcmp(flag, "--ctx") ||
                     !strcmp(flag, "--repeat") || !strcmp(flag, "--data-size-out") ||
                     !strcmp(flag, "--ctx-size-out") || !strcmp(flag, "--test-flags") ||
                     !strcmp(flag, "--test-cpu") || !strcmp(flag, "--caps");
  if (takes_value && i + 1 >= argc) usage_error("%s needs a value", flag);
  const char *value = takes_value ? argv[i + 1] : NULL;
  if (!strcmp(flag, "--caps")) {
    c->kept_caps = parse_caps(argv[i + 1]);
    return 2;
  }
  if (!strcmp(flag, "--log-level")) {
    c->log_level = (int)parse_u32(value, flag);
  } else if (!strcmp(flag, "--data")) {
    c->run.data = read_whole_file(value, &c->run.data_len);
    c->run.has_data = c->run.requested = true;
  } else if (!strcmp(flag, "--ctx")) {
    c->run.ctx = read_whole_file(value, &c->run.ctx_len);
    c->run.has_ctx = c->run.requested = true;
  } else if (!strcmp(flag, "--repeat")) {
    c->run.repeat = (int)parse_u32(value, flag);
    if (c->run.repeat < 0) usage_error("--repeat: out of range");
    c->run.has_repeat = c->run.requested = true;
  } else if (!strcmp(flag, "--data-size-out")) {
    c->run.data_size_out = parse_u32(value, flag);
    c->run.has_data_size_out = true;
  } else if (!strcmp(flag, "--ctx-size-out")) {
    c->run.ctx_size_out = parse_u32(value, flag);
    c->run.has_ctx_size_out = true;
  } else if (!strcmp(flag, "--test-flags")) {
    c->run.flags = parse_u32(value, flag);
    c->run.requested = true;
  } else if (!strcmp(flag, "--test-cpu")) {
    c->run.cpu = parse_u32(value, flag);
    c->run.requested = true;
  } else if (!strcmp(flag, "--ctx-out")) {
    c->run.want_ctx_out = c->run.requested = true;
  } else if (!strcmp(flag, "--run")) {
    c->run.requested = true;
  } else if (!strcmp(flag, "--dump-maps")) {
    c->dump_maps = true;
  } else {
    return 0;
  }
  return takes_value ? 2 : 1;
}

/* ---------------------------------------------------------------- object configuration */

/* What a libbpf user does between open and load (types, sizes, global variables) and right after load
 * (map entries), given as repeated NAME:... flags; applied to every fresh open of the object. */
struct object_config {
  const char **specs[8];
  int counts[8];
};
enum {
  CFG_TYPE,
  CFG_ATTACH,
  CFG_MAX_ENTRIES,
  CFG_SET_GLOBAL,
  CFG_MAP_INIT,
  CFG_USER_RINGBUF,
  CFG_CGROUP_ARRAY,
  CFG_NETNS_SOCKMAP
};
static const char *const config_flags[8] = {"--type",       "--expected-attach-type", "--max-entries",
                                            "--set-global", "--map-init",             "--user-ringbuf",
                                            "--cgroup-array", "--netns-sockmap"};

/* The fds of the --netns-socket sockets, in the order given (what --netns-sockmap and mapops' @N name). */
#define NETNS_SOCKETS_MAX 16
static int netns_socket_fds[NETNS_SOCKETS_MAX];
static int netns_socket_count;
static void json_netns_cookies(struct text *t);

/* The fd of --netns-socket number N, N being the `len` decimal digits at `text` (what --netns-sockmap, --map-init's
 * @N key and mapops' @N value name); a usage error naming `option` when there is no such socket. */
static int netns_socket_fd(const char *text, size_t len, const char *option) {
  char *end = NULL;
  long index = strtol(text, &end, 10);
  if (len == 0 || end != text + len || index < 0 || index >= netns_socket_count)
    usage_error("%s: no --netns-socket number '%.*s'", option, (int)len, text);
  return netns_socket_fds[index];
}

/* Consumes one configuration flag; returns how many argv slots it used, 0 if not ours. */
static int parse_config_flag(struct object_config *cfg, int argc, char **argv, int i) {
  for (int k = 0; k < 8; k++) {
    if (strcmp(argv[i], config_flags[k])) continue;
    if (i + 1 >= argc) usage_error("%s needs a value", argv[i]);
    if (!strchr(argv[i + 1], ':')) usage_error("%s '%s': want NAME:...", argv[i], argv[i + 1]);
    cfg->specs[k] = xrealloc(cfg->specs[k], (size_t)(cfg->counts[k] + 1) * sizeof(char *));
    cfg->specs[k][cfg->counts[k]++] = argv[i + 1];
    return 2;
  }
  return 0;
}

/* "NAME:rest" → NAME in `name` (truncated to its size), pointer to rest. */
static const char *split_name(const char *spec, char *name, size_t size) {
  const char *colon = strchr(spec, ':');
  snprintf(name, size, "%.*s", (int)(colon - spec), spec);
  return colon + 1;
}

/* Writes VAR's bytes into the initial value of the .data/.rodata/.bss map holding it (BTF DATASEC), as a
 * skeleton's `skel->rodata->VAR = ...` does before load. */
static void set_global(struct bpf_object *obj, const char *spec) {
  char name[256];
  const char *hex = split_name(spec, name, sizeof(name));
  size_t len;
  uint8_t *bytes = parse_hex(hex, strlen(hex), &len, "--set-global value");
  struct btf *btf = bpf_object__btf(obj);
  struct bpf_map *map;
  bpf_object__for_each_map(map, obj) {
    size_t size = 0;
    const void *initial = bpf_map__initial_value(map, &size);
    const char *section = strchr(bpf_map__name(map), '.');
    if (!initial || !btf || !section) continue;
    int id = btf__find_by_name_kind(btf, section, BTF_KIND_DATASEC);
    if (id < 0) continue;
    const struct btf_type *sec = btf__type_by_id(btf, (uint32_t)id);
    const struct btf_var_secinfo *vars = btf_var_secinfos(sec);
    for (int v = 0; v < btf_vlen(sec); v++) {
      const struct btf_type *var = btf__type_by_id(btf, vars[v].type);
      if (strcmp(btf__name_by_offset(btf, var->name_off), name)) continue;
      if (len != vars[v].size) usage_error("--set-global '%s': %zu bytes given, '%s' has %u", spec, len, name, vars[v].size);
      if (vars[v].offset + len > size) usage_error("--set-global '%s': outside the map's value", spec);
      uint8_t *data = xrealloc(NULL, size);
      memcpy(data, initial, size);
      memcpy(data + vars[v].offset, bytes, len);
      if (bpf_map__set_initial_value(map, data, size)) usage_error("--set-global '%s': refused by libbpf", spec);
      free(data);
      free(bytes);
      return;
    }
  }
  usage_error("--set-global '%s': no global variable '%s'", spec, name);
}

/* Between open and load: program types, expected attach types, map sizes, global variables. */
static void configure_object(struct bpf_object *obj, const struct object_config *cfg) {
  char name[256];
  for (int k = 0; k < 4; k++) {
    for (int i = 0; i < cfg->counts[k]; i++) {
      const char *spec = cfg->specs[k][i];
      if (k == CFG_SET_GLOBAL) {
        set_global(obj, spec);
        continue;
      }
      const char *rest = split_name(spec, name, sizeof(name));
      if (k == CFG_MAX_ENTRIES) {
        struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
        if (!map) usage_error("--max-entries '%s': no map '%s'", spec, name);
        if (bpf_map__set_max_entries(map, parse_u32(rest, "--max-entries")))
          usage_error("--max-entries '%s': refused by libbpf", spec);
        continue;
      }
      struct bpf_program *prog = bpf_object__find_program_by_name(obj, name);
      if (!prog) usage_error("%s '%s': no program '%s'", config_flags[k], spec, name);
      int err = k == CFG_TYPE ? bpf_program__set_type(prog, (enum bpf_prog_type)parse_prog_type(rest))
                              : bpf_program__set_expected_attach_type(
                                    prog, (enum bpf_attach_type)parse_attach_type(rest));
      if (err) usage_error("%s '%s': refused by libbpf", config_flags[k], spec);
    }
  }
}

/* After load, before any test run: MAP:KEYHEX:VALUEHEX entries (percpu maps: one value for every CPU, or all
 * CPUs' values concatenated, each padded to 8 bytes). */
static void init_object_maps(struct bpf_object *obj, const struct object_config *cfg) {
  char name[256];
  for (int i = 0; i < cfg->counts[CFG_MAP_INIT]; i++) {
    const char *spec = cfg->specs[CFG_MAP_INIT][i];
    const char *key_hex = split_name(spec, name, sizeof(name));
    const char *colon = strchr(key_hex, ':');
    if (!colon) usage_error("--map-init '%s': want MAP:KEYHEX:VALUEHEX", spec);
    struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
    if (!map) usage_error("--map-init '%s': no map '%s'", spec, name);
    size_t key_len, value_len;
    uint8_t *key;
    if (key_hex[0] == '@') {
      /* @N: the fd of --netns-socket number N as an int key (sk_storage names sockets by fd) */
      int fd = netns_socket_fd(key_hex + 1, (size_t)(colon - key_hex - 1), "--map-init");
      key = xrealloc(NULL, sizeof(fd));
      memcpy(key, &fd, sizeof(fd));
      key_len = sizeof(fd);
    } else {
      key = parse_hex(key_hex, (size_t)(colon - key_hex), &key_len, "--map-init key");
    }
    uint8_t *value = parse_hex(colon + 1, strlen(colon + 1), &value_len, "--map-init value");
    int type = (int)bpf_map__type(map);
    uint32_t value_size = bpf_map__value_size(map);
    size_t all = user_value_size(type, value_size);
    if (is_percpu_map(type) && value_len == value_size && all != value_size) {
      size_t slot = ((size_t)value_size + 7) & ~(size_t)7;
      uint8_t *spread = xrealloc(NULL, all);
      memset(spread, 0, all);
      for (size_t at = 0; at < all; at += slot) memcpy(spread + at, value, value_len);
      free(value);
      value = spread;
      value_len = all;
    }
    if (bpf_map__update_elem(map, key, key_len, value, value_len, BPF_ANY))
      usage_error("--map-init '%s': bpf_map__update_elem failed: %s", spec, errno_text(errno));
    free(key);
    free(value);
  }
}

/* After load, before any test run: MAP:HEX puts a sample in a user ring buffer as its user-space producer,
 * MAP:~HEX one that is discarded, MAP:!HEX one reserved and never submitted (still busy). */
static void produce_user_ringbuf_samples(struct bpf_object *obj, const struct object_config *cfg) {
  char name[256];
  for (int i = 0; i < cfg->counts[CFG_USER_RINGBUF]; i++) {
    const char *spec = cfg->specs[CFG_USER_RINGBUF][i];
    const char *hex = split_name(spec, name, sizeof(name));
    char mode = (*hex == '~' || *hex == '!') ? *hex++ : 's';
    struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
    if (!map || bpf_map__type(map) != BPF_MAP_TYPE_USER_RINGBUF)
      usage_error("--user-ringbuf '%s': no user ring buffer '%s'", spec, name);
    size_t len;
    uint8_t *bytes = parse_hex(hex, strlen(hex), &len, "--user-ringbuf sample");
    struct user_ring_buffer *rb = user_ring_buffer__new(bpf_map__fd(map), NULL);
    if (!rb) usage_error("--user-ringbuf '%s': user_ring_buffer__new failed: %s", spec, errno_text(errno));
    void *sample = user_ring_buffer__reserve(rb, (uint32_t)len);
    if (!sample) usage_error("--user-ringbuf '%s': reserve failed: %s", spec, errno_text(errno));
    memcpy(sample, bytes, len);
    if (mode == 's') user_ring_buffer__submit(rb, sample);
    else if (mode == '~') user_ring_buffer__discard(rb, sample);
    user_ring_buffer__free(rb);
    free(bytes);
  }
}

/* After load, before any test run: MAP:INDEX:PATH puts the cgroup directory PATH (opened read-only, as a
 * user of a cgroup_array does) at INDEX; the fd stays open until exit. */
static void fill_cgroup_arrays(struct bpf_object *obj, const struct object_config *cfg) {
  char name[256];
  for (int i = 0; i < cfg->counts[CFG_CGROUP_ARRAY]; i++) {
    const char *spec = cfg->specs[CFG_CGROUP_ARRAY][i];
    const char *rest = split_name(spec, name, sizeof(name));
    char *path = NULL;
    uint32_t index = (uint32_t)strtoul(rest, &path, 10);
    if (path == rest || *path != ':') usage_error("--cgroup-array '%s': want MAP:INDEX:PATH", spec);
    path++;
    struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
    if (!map || bpf_map__type(map) != BPF_MAP_TYPE_CGROUP_ARRAY)
      usage_error("--cgroup-array '%s': no cgroup_array '%s'", spec, name);
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0) usage_error("--cgroup-array '%s': %s", spec, strerror(errno));
    uint32_t value = (uint32_t)fd;
    if (bpf_map__update_elem(map, &index, sizeof(index), &value, sizeof(value), BPF_ANY))
      usage_error("--cgroup-array '%s': bpf_map__update_elem failed: %s", spec, errno_text(errno));
  }
}

/* After load, before any test run: MAP:KEYHEX:SOCKET puts the fd of --netns-socket number SOCKET (from 0) in a
 * sockmap, sockhash or reuseport_sockarray at KEYHEX, as the map's value size (4 or 8 bytes) holds it. */
static void fill_netns_sockmaps(struct bpf_object *obj, const struct object_config *cfg) {
  char name[256];
  for (int i = 0; i < cfg->counts[CFG_NETNS_SOCKMAP]; i++) {
    const char *spec = cfg->specs[CFG_NETNS_SOCKMAP][i];
    const char *key_hex = split_name(spec, name, sizeof(name));
    const char *colon = strchr(key_hex, ':');
    if (!colon) usage_error("--netns-sockmap '%s': want MAP:KEYHEX:SOCKET", spec);
    int socket_fd = netns_socket_fd(colon + 1, strlen(colon + 1), "--netns-sockmap");
    struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
    enum bpf_map_type type = map ? bpf_map__type(map) : BPF_MAP_TYPE_UNSPEC;
    if (type != BPF_MAP_TYPE_SOCKMAP && type != BPF_MAP_TYPE_SOCKHASH && type != BPF_MAP_TYPE_REUSEPORT_SOCKARRAY)
      usage_error("--netns-sockmap '%s': no sockmap, sockhash or reuseport_sockarray '%s'", spec, name);
    size_t key_len;
    uint8_t *key = parse_hex(key_hex, (size_t)(colon - key_hex), &key_len, "--netns-sockmap key");
    uint64_t value = (uint64_t)socket_fd;
    if (bpf_map__update_elem(map, key, key_len, &value, bpf_map__value_size(map), BPF_ANY))
      usage_error("--netns-sockmap '%s': bpf_map__update_elem failed: %s", spec, errno_text(errno));
    free(key);
  }
}

/* ---------------------------------------------------------------- mode: probe */

static int mode_probe(void) {
  require_bpf();
  struct utsname uts;
  struct text out = {0};
  uname(&uts);
  text_puts(&out, "{\"available\":true,\"kernel\":");
  json_string(&out, uts.release);
  text_printf(&out, ",\"libbpf\":\"%s\",\"possibleCpus\":%d,\"unprivilegedBpfDisabled\":%d}\n",
              libbpf_version_string(), libbpf_num_possible_cpus(), unprivileged_bpf_disabled());
  fputs(out.buf, stdout);
  return 0;
}

/* ---------------------------------------------------------------- mode: insns */

struct map_spec {
  int type;
  uint32_t key_size, value_size, max_entries, flags;
  int inner; /* index of the --map used as inner map template, or -1 */
  int fd;
};

static struct map_spec parse_map_spec(const char *spec, int index) {
  char *copy = strdup(spec), *save = NULL, *fields[7];
  int n = 0;
  for (char *f = strtok_r(copy, ":", &save); f && n < 7; f = strtok_r(NULL, ":", &save)) fields[n++] = f;
  if (n < 4 || n > 6) usage_error("--map '%s': want TYPE:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES[:FLAGS[:INNER]]", spec);
  struct map_spec m = {.inner = -1, .fd = -1};
  m.type = parse_map_type(fields[0]);
  m.key_size = parse_u32(fields[1], "--map key size");
  m.value_size = parse_u32(fields[2], "--map value size");
  m.max_entries = parse_u32(fields[3], "--map max entries");
  if (n > 4) m.flags = parse_u32(fields[4], "--map flags");
  if (n > 5) {
    m.inner = (int)parse_u32(fields[5], "--map inner map index");
    if (m.inner >= index) usage_error("--map '%s': inner map index must name an earlier --map", spec);
  }
  free(copy);
  return m;
}

static bool is_map_in_map(int type) {
  return type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

static void create_maps(struct map_spec *maps, int count) {
  for (int i = 0; i < count; i++) {
    LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = maps[i].flags);
    if (maps[i].inner >= 0) opts.inner_map_fd = (uint32_t)maps[maps[i].inner].fd;
    char name[24];
    snprintf(name, sizeof(name), "map_%d", i);
    maps[i].fd = bpf_map_create((enum bpf_map_type)maps[i].type, name, maps[i].key_size, maps[i].value_size,
                                maps[i].max_entries, &opts);
    if (maps[i].fd < 0) usage_error("--map %d: bpf_map_create failed: %s", i, errno_text(errno));
  }
}

/* IDX:KEYHEX:VALUEHEX. For maps of maps the value is the 4-byte index of another --map, replaced by its fd.
 * For percpu maps one value is given to every CPU, or all CPUs' values are given concatenated. */
static void apply_map_init(const char *spec, struct map_spec *maps, int count) {
  const char *colon1 = strchr(spec, ':'), *colon2 = colon1 ? strchr(colon1 + 1, ':') : NULL;
  if (!colon2) usage_error("--map-init '%s': want IDX:KEYHEX:VALUEHEX", spec);
  char idx_text[32];
  snprintf(idx_text, sizeof(idx_text), "%.*s", (int)(colon1 - spec), spec);
  uint32_t idx = parse_u32(idx_text, "--map-init index");
  if (idx >= (uint32_t)count) usage_error("--map-init '%s': no --map number %u", spec, idx);
  struct map_spec *m = &maps[idx];
  size_t key_len, value_len;
  uint8_t *key = parse_hex(colon1 + 1, (size_t)(colon2 - colon1 - 1), &key_len, "--map-init key");
  uint8_t *value = parse_hex(colon2 + 1, strlen(colon2 + 1), &value_len, "--map-init value");
  if (key_len != m->key_size) usage_error("--map-init '%s': key is %zu bytes, map key_size is %u", spec, key_len, m->key_size);
  if (is_map_in_map(m->type)) {
    uint32_t inner;
    if (value_len != 4) usage_error("--map-init '%s': a map-in-map value is a 4-byte --map index", spec);
    memcpy(&inner, value, 4);
    if (inner >= (uint32_t)count) usage_error("--map-init '%s': no --map number %u", spec, inner);
    memcpy(value, &maps[inner].fd, 4);
  } else if (is_percpu_map(m->type)) {
    size_t slot = ((size_t)m->value_size + 7) & ~(size_t)7, all = user_value_size(m->type, m->value_size);
    if (value_len == m->value_size) {
      uint8_t *spread = xrealloc(NULL, all);
      memset(spread, 0, all);
      for (size_t at = 0; at < all; at += slot) memcpy(spread + at, value, value_len);
      free(value);
      value = spread;
    } else if (value_len != all) {
      usage_error("--map-init '%s': value is %zu bytes, want %u or %zu (all CPUs)", spec, value_len, m->value_size, all);
    }
  } else if (value_len != m->value_size) {
    usage_error("--map-init '%s': value is %zu bytes, map value_size is %u", spec, value_len, m->value_size);
  }
  if (bpf_map_update_elem(m->fd, key_len ? key : NULL, value, BPF_ANY))
    usage_error("--map-init '%s': bpf_map_update_elem failed: %s", spec, errno_text(errno));
  free(key);
  free(value);
}

static int mode_insns(int argc, char **argv) {
  struct common_flags common = {.log_level = 1, .kept_caps = ALL_LOAD_CAPS};
  const char *type_name = NULL, *insns_path = NULL, *license = "GPL", *name = "oracle_prog";
  const char *attach_name = NULL, *insns_hex = NULL;
  uint32_t prog_flags = 0;
  bool unpriv = false;
  struct map_spec *maps = NULL;
  int map_count = 0;
  const char **inits = NULL;
  int init_count = 0;

  for (int i = 2; i < argc;) {
    int used = parse_common_flag(&common, argc, argv, i);
    if (used) {
      i += used;
      continue;
    }
    const char *flag = argv[i];
    if (!strcmp(flag, "--unpriv") || !strcmp(flag, "--want-processed")) {
      /* --want-processed is accepted for compatibility: processedInsns never needs a second load */
      unpriv |= !strcmp(flag, "--unpriv");
      i++;
      continue;
    }
    if (i + 1 >= argc) usage_error("unknown flag or missing value: %s", flag);
    const char *value = argv[i + 1];
    if (!strcmp(flag, "--type")) type_name = value;
    else if (!strcmp(flag, "--insns")) insns_path = value;
    else if (!strcmp(flag, "--insns-hex")) insns_hex = value;
    else if (!strcmp(flag, "--license")) license = value;
    else if (!strcmp(flag, "--name")) name = value;
    else if (!strcmp(flag, "--prog-flags")) prog_flags = parse_u32(value, flag);
    else if (!strcmp(flag, "--expected-attach-type")) attach_name = value;
    else if (!strcmp(flag, "--map")) {
      maps = xrealloc(maps, (size_t)(map_count + 1) * sizeof(*maps));
      maps[map_count] = parse_map_spec(value, map_count);
      map_count++;
    } else if (!strcmp(flag, "--map-init")) {
      inits = xrealloc(inits, (size_t)(init_count + 1) * sizeof(*inits));
      inits[init_count++] = value;
    } else usage_error("unknown flag: %s", flag);
    i += 2;
  }
  if (!type_name) usage_error("insns: --type is required");
  if (!insns_path == !insns_hex) usage_error("insns: one of --insns or --insns-hex is required");
  int prog_type = parse_prog_type(type_name);
  int attach_type = attach_name ? parse_attach_type(attach_name) : 0;
  size_t insns_len;
  struct bpf_insn *insns =
      (struct bpf_insn *)(insns_path ? read_whole_file(insns_path, &insns_len)
                                     : parse_hex(insns_hex, strlen(insns_hex), &insns_len, "--insns-hex"));
  if (insns_len % sizeof(struct bpf_insn))
    usage_error("%s: size %zu is not a multiple of 8", insns_path ? insns_path : "--insns-hex", insns_len);
  size_t insn_count = insns_len / sizeof(struct bpf_insn);

  require_bpf();
  create_maps(maps, map_count);
  for (int i = 0; i < init_count; i++) apply_map_init(inits[i], maps, map_count);

  /* LD_IMM64 src 1/2 imm N names the N-th --map; an N with no such map becomes fd -1 so the kernel
   * answers the way it does for a bad fd, the same on every run. */
  int *fd_array = xrealloc(NULL, (size_t)(map_count ? map_count : 1) * sizeof(int));
  for (int i = 0; i < map_count; i++) fd_array[i] = maps[i].fd;
  for (size_t i = 0; i + 1 < insn_count; i++) {
    if (insns[i].code != LD_IMM64_CODE) continue;
    if (insns[i].src_reg == BPF_PSEUDO_MAP_FD || insns[i].src_reg == BPF_PSEUDO_MAP_VALUE) {
      int n = insns[i].imm;
      insns[i].imm = n >= 0 && n < map_count ? maps[n].fd : -1;
    }
    i++; /* the second slot of LD_IMM64 is data */
  }

  if (unpriv) common.kept_caps = 0;
  bool lowered = common.kept_caps != ALL_LOAD_CAPS;
  int caps_errno = lowered ? drop_caps(common.kept_caps) : 0;
  if (caps_errno) usage_error("--unpriv/--caps: capset failed: %s", errno_text(caps_errno));

  char *log = NULL;
  size_t log_size = LOG_SIZE_START;
  int prog_fd, load_errno;
  for (;;) {
    log = xrealloc(log, log_size);
    log[0] = '\0';
    /* fd_array lets src 5/6 (BPF_PSEUDO_MAP_IDX, _IDX_VALUE) name the --maps by index natively */
    LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_level = (uint32_t)common.log_level, .log_buf = log,
                .log_size = (uint32_t)log_size, .prog_flags = prog_flags,
                .expected_attach_type = (enum bpf_attach_type)attach_type, .fd_array = map_count ? fd_array : NULL);
    prog_fd = bpf_prog_load((enum bpf_prog_type)prog_type, name, license, insns, insn_count, &opts);
    load_errno = prog_fd < 0 ? errno : 0;
    if (prog_fd < 0 && load_errno == ENOSPC && log_size < LOG_SIZE_MAX) {
      log_size *= 4;
      continue;
    }
    break;
  }
  if (lowered) restore_caps();

  struct prog_facts facts = prog_facts(prog_fd);
  long long processed = processed_from_log(log);
  if (processed < 0) processed = facts.verified_insns;

  struct text out = {0};
  text_printf(&out, "{\"verdict\":\"%s\",\"errno\":%d,\"log\":", prog_fd >= 0 ? "accepted" : "rejected", load_errno);
  json_string(&out, log);
  text_printf(&out, ",\"logTruncated\":%s", load_errno == ENOSPC ? "true" : "false");
  if (processed >= 0) text_printf(&out, ",\"processedInsns\":%lld", processed);
  else text_puts(&out, ",\"processedInsns\":null");
  if (facts.xlated_insns >= 0) text_printf(&out, ",\"xlatedInsns\":%lld,", facts.xlated_insns);
  else text_puts(&out, ",\"xlatedInsns\":null,");
  json_test_run(&out, prog_fd, prog_type, &common.run);
  if (lowered) text_printf(&out, ",\"unprivilegedBpfDisabled\":%d", unprivileged_bpf_disabled());
  if (common.dump_maps) {
    text_puts(&out, ",\"maps\":[");
    for (int i = 0; i < map_count; i++) {
      text_printf(&out, "%s{\"index\":%d,\"type\":", i ? "," : "", i);
      json_map_type(&out, maps[i].type);
      text_puts(&out, ",");
      json_map_entries(&out, maps[i].fd, maps[i].type, maps[i].key_size, maps[i].value_size);
      text_puts(&out, "}");
    }
    text_puts(&out, "]");
  } else {
    text_puts(&out, ",\"maps\":null");
  }
  text_puts(&out, "}\n");
  fputs(out.buf, stdout);
  fflush(stdout);

  if (prog_fd >= 0) close(prog_fd);
  for (int i = 0; i < map_count; i++) close(maps[i].fd);
  free(out.buf);
  free(log);
  free(fd_array);
  free(insns);
  free(maps);
  free(inits);
  return 0;
}

/* ---------------------------------------------------------------- mode: batch */

/* Many `insns` loads in one process (spawning one per program dominates a differential fuzz): each line of
 * FILE (or stdin for "-") is an `insns` argument list split on blanks, answered by one JSON line in order.
 * Blank lines are skipped. A usage error on any line ends the batch with exit 2, as for a single load. */
static int mode_batch(int argc, char **argv) {
  if (argc != 3) usage_error("batch: want exactly one FILE (or - for stdin)");
  FILE *in = strcmp(argv[2], "-") ? fopen(argv[2], "r") : stdin;
  if (!in) usage_error("cannot open %s: %s", argv[2], strerror(errno));
  require_bpf();
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, in) >= 0) {
    int n = 2, room = 16;
    char **args = xrealloc(NULL, (size_t)room * sizeof(*args));
    args[0] = argv[0];
    args[1] = "insns";
    char *save = NULL;
    for (char *word = strtok_r(line, " \t\r\n", &save); word; word = strtok_r(NULL, " \t\r\n", &save)) {
      if (n + 1 >= room) args = xrealloc(args, (size_t)(room *= 2) * sizeof(*args));
      args[n++] = word;
    }
    args[n] = NULL;
    if (n > 2) mode_insns(n, args);
    free(args);
  }
  free(line);
  if (in != stdin) fclose(in);
  return 0;
}

/* ---------------------------------------------------------------- mode: object */

/* libbpf's own messages (warnings and info) while an object is opened or loaded. */
static struct text libbpf_messages;
/* The object being loaded and the fds its maps had: libbpf closes the maps when a load fails, before we
 * can ask, so every libbpf message refreshes this snapshot while they are still open. */
static struct bpf_object *loading_object;
static int *map_fd_snapshot;
static int map_fd_snapshot_count;

static void snapshot_map_fds(void) {
  if (!loading_object) return;
  int i = 0;
  struct bpf_map *map;
  bpf_object__for_each_map(map, loading_object) {
    if (i < map_fd_snapshot_count && bpf_map__fd(map) >= 0) map_fd_snapshot[i] = bpf_map__fd(map);
    i++;
  }
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap) {
  snapshot_map_fds();
  if (level != LIBBPF_DEBUG) text_vprintf(&libbpf_messages, fmt, ap);
  return 0;
}

static int count_maps(struct bpf_object *obj) {
  int n = 0;
  struct bpf_map *map;
  bpf_object__for_each_map(map, obj) n++;
  return n;
}

/* Instructions as libbpf handed them to the kernel, each as 16 hex digits (its 8 bytes in memory order).
 * Map fds that libbpf placed in LD_IMM64 (src 1 BPF_PSEUDO_MAP_FD, src 2 BPF_PSEUDO_MAP_VALUE) are
 * replaced by the map's index in bpf_object__for_each_map order, so the output does not depend on fd
 * numbering; the test side compares map references symbolically. */
static void json_symbolic_insns(struct text *t, const struct bpf_insn *insns, size_t count, const int *map_fds,
                                int map_count) {
  text_puts(t, "\"insns\":[");
  for (size_t i = 0; i < count; i++) {
    struct bpf_insn insn = insns[i];
    bool map_ref = insn.code == LD_IMM64_CODE && i + 1 < count &&
                   (insn.src_reg == BPF_PSEUDO_MAP_FD || insn.src_reg == BPF_PSEUDO_MAP_VALUE);
    if (map_ref) {
      for (int m = 0; m < map_count; m++)
        if (map_fds[m] == insn.imm) {
          insn.imm = m;
          break;
        }
    }
    if (i) text_puts(t, ",");
    json_hex(t, &insn, sizeof(insn));
    if (insn.code == LD_IMM64_CODE && i + 1 < count) {
      text_puts(t, ",");
      json_hex(t, &insns[i + 1], sizeof(insns[i + 1]));
      i++;
    }
  }
  text_puts(t, "]");
}

static void reset_libbpf_messages(void) {
  libbpf_messages.len = 0;
  if (libbpf_messages.buf) libbpf_messages.buf[0] = '\0';
}

/* Starts a fresh map fd snapshot for obj, which is about to be loaded. */
static void begin_map_fd_snapshot(struct bpf_object *obj) {
  map_fd_snapshot_count = count_maps(obj);
  map_fd_snapshot = xrealloc(map_fd_snapshot, (size_t)(map_fd_snapshot_count + 1) * sizeof(int));
  for (int i = 0; i < map_fd_snapshot_count; i++) map_fd_snapshot[i] = -1;
  loading_object = obj;
}

/* Writes one program's report. obj must still be loaded (when the program was accepted) so that the test
 * run can tail-call into its prog arrays and the map dump sees the maps the run changed. load_mode is
 * "object" (one load of the whole object) or "single" (only this program autoloaded). */
static void json_program_report(struct text *t, struct bpf_object *obj, struct bpf_program *prog, int load_errno,
                                const char *log, const char *load_mode, const char *libbpf_log,
                                const struct common_flags *c) {
  bool accepted = load_errno == 0;
  int prog_fd = accepted ? bpf_program__fd(prog) : -1;
  int prog_type = (int)bpf_program__type(prog);
  struct prog_facts facts = prog_facts(prog_fd);
  long long processed = processed_from_log(log);
  if (processed < 0) processed = facts.verified_insns;

  text_puts(t, "{\"name\":");
  json_string(t, bpf_program__name(prog));
  text_puts(t, ",\"section\":");
  json_string(t, bpf_program__section_name(prog));
  text_puts(t, ",\"type\":");
  json_prog_type(t, prog_type);
  text_puts(t, ",\"expectedAttachType\":");
  const char *attach = libbpf_bpf_attach_type_str(bpf_program__expected_attach_type(prog));
  if (attach) json_string(t, attach);
  else text_printf(t, "\"%d\"", (int)bpf_program__expected_attach_type(prog));
  text_printf(t, ",\"loadMode\":\"%s\"", load_mode);
  text_printf(t, ",\"verdict\":\"%s\",\"errno\":%d,\"log\":", accepted ? "accepted" : "rejected", load_errno);
  json_string(t, log);
  text_printf(t, ",\"logTruncated\":%s", load_errno == ENOSPC ? "true" : "false");
  if (processed >= 0) text_printf(t, ",\"processedInsns\":%lld", processed);
  else text_puts(t, ",\"processedInsns\":null");
  if (facts.xlated_insns >= 0) text_printf(t, ",\"xlatedInsns\":%lld,", facts.xlated_insns);
  else text_puts(t, ",\"xlatedInsns\":null,");
  json_symbolic_insns(t, bpf_program__insns(prog), bpf_program__insn_cnt(prog), map_fd_snapshot,
                      map_fd_snapshot_count);
  text_puts(t, ",");
  if (prog_fd >= 0) json_func_line_info(t, prog_fd);
  else text_puts(t, "\"funcInfo\":null,\"lineInfo\":null");
  text_puts(t, ",");
  json_test_run(t, prog_fd, prog_type, &c->run);
  if (c->dump_maps && accepted) {
    text_puts(t, ",\"maps\":[");
    int i = 0;
    struct bpf_map *map;
    bpf_object__for_each_map(map, obj) {
      text_puts(t, i++ ? ",{\"name\":" : "{\"name\":");
      json_string(t, bpf_map__name(map));
      text_puts(t, ",");
      json_map_entries(t, bpf_map__fd(map), (int)bpf_map__type(map), bpf_map__key_size(map),
                       bpf_map__value_size(map));
      text_puts(t, "}");
    }
    text_puts(t, "]");
  } else {
    text_puts(t, ",\"maps\":null");
  }
  text_puts(t, ",\"libbpfLog\":");
  json_string(t, libbpf_log);
  text_puts(t, "}");
}

/* --kconfig FILE: extra Kconfig text libbpf reads before the kernel's config (bpf_object_open_opts.kconfig). */
static char *open_kconfig;

static struct bpf_object *open_object_file(const char *path) {
  LIBBPF_OPTS(bpf_object_open_opts, opts, .kconfig = open_kconfig);
  return bpf_object__open_file(path, &opts);
}

/* Loads the whole object with every program autoloaded, as `bpftool prog loadall` does, so prog arrays
 * initialised with the object's own programs can be filled and tail calls reach their targets. On success
 * writes the report of every program (or just `only`), test-running each while the object is loaded, and
 * returns true; on failure writes nothing and returns false, and the caller loads program by program. */
static bool report_whole_object(struct text *t, const char *path, const char *only, const struct common_flags *c) {
  size_t log_size = LOG_SIZE_START;
  for (;;) {
    reset_libbpf_messages();
    struct bpf_object *obj = open_object_file(path);
    if (libbpf_get_error(obj)) usage_error("%s: reopening failed: %s", path, errno_text(errno));
    configure_object(obj, c->config);
    int prog_count = 0;
    struct bpf_program *prog;
    bpf_object__for_each_program(prog, obj) prog_count++;
    /* one log per program, so each report has its own verifier log and "processed N insns" */
    char **logs = xrealloc(NULL, (size_t)(prog_count + 1) * sizeof(*logs));
    int p = 0;
    bpf_object__for_each_program(prog, obj) {
      logs[p] = xrealloc(NULL, log_size);
      logs[p][0] = '\0';
      bpf_program__set_autoload(prog, true);
      bpf_program__set_log_level(prog, (uint32_t)c->log_level);
      bpf_program__set_log_buf(prog, logs[p], log_size);
      p++;
    }
    begin_map_fd_snapshot(obj);
    int err = load_object_with_caps(obj, c->kept_caps);
    if (!err) snapshot_map_fds();
    loading_object = NULL;
    bool ok = !err;
    if (ok) {
      init_object_maps(obj, c->config);
      produce_user_ringbuf_samples(obj, c->config);
      fill_cgroup_arrays(obj, c->config);
      fill_netns_sockmaps(obj, c->config);
    }
    if (ok) {
      /* the load's libbpf messages belong to every program; test runs and info queries add none */
      struct text load_messages = {0};
      text_puts(&load_messages, libbpf_messages.buf ? libbpf_messages.buf : "");
      bool first = true;
      p = 0;
      bpf_object__for_each_program(prog, obj) {
        const char *log = logs[p++];
        if (only && strcmp(bpf_program__name(prog), only)) continue;
        if (!first) text_puts(t, ",");
        first = false;
        json_program_report(t, obj, prog, 0, log, "object", load_messages.buf, c);
      }
      free(load_messages.buf);
    }
    for (int i = 0; i < prog_count; i++) free(logs[i]);
    free(logs);
    bpf_object__close(obj);
    /* a log that overflowed fails the whole load; grow every buffer and try again before giving up */
    if (!ok && -err == ENOSPC && log_size < LOG_SIZE_MAX) {
      log_size *= 4;
      continue;
    }
    return ok;
  }
}

/* Loads one program of a freshly opened object (all others with autoload off) and writes its report. */
static void report_program(struct text *t, const char *path, const char *prog_name, const struct common_flags *c) {
  size_t log_size = LOG_SIZE_START;
  char *log = NULL;
  for (;;) {
    reset_libbpf_messages();
    struct bpf_object *obj = open_object_file(path);
    if (libbpf_get_error(obj)) usage_error("%s: reopening failed: %s", path, errno_text(errno));
    configure_object(obj, c->config);
    struct bpf_program *target = NULL, *prog;
    bpf_object__for_each_program(prog, obj) {
      bool is_target = !strcmp(bpf_program__name(prog), prog_name);
      bpf_program__set_autoload(prog, is_target);
      if (is_target) target = prog;
    }
    log = xrealloc(log, log_size);
    log[0] = '\0';
    bpf_program__set_log_level(target, (uint32_t)c->log_level);
    bpf_program__set_log_buf(target, log, log_size);
    begin_map_fd_snapshot(obj);
    int err = load_object_with_caps(obj, c->kept_caps);
    int load_errno = err ? -err : 0;
    if (!err) snapshot_map_fds();
    loading_object = NULL;
    /* a log level-0 load that failed was retried by libbpf at level 1 into our buffer; libbpf never grows
     * a caller's buffer, so grow it here with a fresh object */
    if (load_errno == ENOSPC && log_size < LOG_SIZE_MAX) {
      bpf_object__close(obj);
      log_size *= 4;
      continue;
    }
    if (!err) {
      init_object_maps(obj, c->config);
      produce_user_ringbuf_samples(obj, c->config);
      fill_cgroup_arrays(obj, c->config);
      fill_netns_sockmaps(obj, c->config);
    }
    json_program_report(t, obj, target, load_errno, log, "single",
                        libbpf_messages.buf ? libbpf_messages.buf : "", c);
    bpf_object__close(obj);
    break;
  }
  free(log);
}

static int mode_object(int argc, char **argv) {
  static struct object_config config;
  struct common_flags common = {.log_level = 1, .kept_caps = ALL_LOAD_CAPS, .config = &config};
  const char *path = NULL, *only = NULL;
  for (int i = 2; i < argc;) {
    int used = parse_common_flag(&common, argc, argv, i);
    if (!used) used = parse_config_flag(&config, argc, argv, i);
    if (used) {
      i += used;
    } else if (!strcmp(argv[i], "--program")) {
      if (i + 1 >= argc) usage_error("--program needs a value");
      only = argv[i + 1];
      i += 2;
    } else if (!strcmp(argv[i], "--kconfig")) {
      if (i + 1 >= argc) usage_error("--kconfig needs a value");
      size_t len;
      uint8_t *text = read_whole_file(argv[i + 1], &len);
      open_kconfig = xrealloc(text, len + 1);
      open_kconfig[len] = '\0';
      i += 2;
    } else if (argv[i][0] == '-' || path) {
      usage_error("unknown flag or extra argument: %s", argv[i]);
    } else {
      path = argv[i++];
    }
  }
  if (!path) usage_error("object: FILE.o is required");
  if (access(path, R_OK)) usage_error("cannot open %s: %s", path, strerror(errno));

  require_bpf();
  libbpf_set_print(libbpf_print);
  struct text out = {0};
  struct bpf_object *obj = open_object_file(path);
  if (libbpf_get_error(obj)) {
    /* a malformed object is libbpf's verdict, not a tool failure */
    int err = errno;
    char message[256];
    /* libbpf's own codes (4000 and up, e.g. LIBBPF_ERRNO__FORMAT) have texts only libbpf knows */
    libbpf_strerror(err, message, sizeof(message));
    text_printf(&out, "{\"openError\":{\"errno\":%d,\"message\":", err);
    json_string(&out, message);
    text_puts(&out, ",\"log\":");
    json_string(&out, libbpf_messages.buf ? libbpf_messages.buf : "");
    text_puts(&out, "},\"openLog\":\"\",\"programs\":[],\"maps\":[]}\n");
    fputs(out.buf, stdout);
    return 0;
  }
  if (only && !bpf_object__find_program_by_name(obj, only)) usage_error("%s: no program named '%s'", path, only);
  configure_object(obj, &config);

  text_puts(&out, "{");
  json_netns_cookies(&out);
  text_puts(&out, "\"openError\":null,\"openLog\":");
  json_string(&out, libbpf_messages.buf ? libbpf_messages.buf : "");
  /* map definitions as declared, before load: fd-independent fields only */
  text_puts(&out, ",\"maps\":[");
  int i = 0;
  struct bpf_map *map;
  bpf_object__for_each_map(map, obj) {
    text_puts(&out, i++ ? ",{\"name\":" : "{\"name\":");
    json_string(&out, bpf_map__name(map));
    text_puts(&out, ",\"type\":");
    json_map_type(&out, (int)bpf_map__type(map));
    text_printf(&out, ",\"keySize\":%u,\"valueSize\":%u,\"maxEntries\":%u,\"flags\":%u,\"initialValue\":",
                bpf_map__key_size(map), bpf_map__value_size(map), bpf_map__max_entries(map),
                bpf_map__map_flags(map));
    size_t init_size = 0;
    const void *init = bpf_map__initial_value(map, &init_size);
    if (init) json_hex(&out, init, init_size);
    else text_puts(&out, "null");
    text_puts(&out, "}");
  }
  text_puts(&out, "],\"programs\":[");
  if (!report_whole_object(&out, path, only, &common)) {
    /* some program failed the shared load: give each its own load, verdict and log */
    i = 0;
    struct bpf_program *prog;
    bpf_object__for_each_program(prog, obj) {
      const char *name = bpf_program__name(prog);
      if (only && strcmp(name, only)) continue;
      if (i++) text_puts(&out, ",");
      report_program(&out, path, name, &common);
    }
  }
  text_puts(&out, "]}\n");
  bpf_object__close(obj);
  fputs(out.buf, stdout);
  free(out.buf);
  free(map_fd_snapshot);
  return 0;
}

/* ---------------------------------------------------------------- mode: mapops */

/* A key given as '-' or empty is NULL (no key: maps with key_size 0, get_next_key's first call). */
static uint8_t *parse_optional_hex(const char *s, size_t n, size_t *len, const char *what) {
  *len = 0;
  if (n == 0 || (n == 1 && s[0] == '-')) return NULL;
  return parse_hex(s, n, len, what);
}

/* Creates one map from user space and runs user-space commands on it, reporting each one's errno (and the bytes
 * a lookup or get_next_key returned), then the map's flags as the kernel keeps them and its contents. */
static int mode_mapops(int argc, char **argv) {
  const char *map_text = NULL;
  uint64_t map_extra = 0;
  const char **ops = xrealloc(NULL, (size_t)argc * sizeof(*ops));
  int op_count = 0;
  for (int i = 2; i < argc; i += 2) {
    if (i + 1 >= argc) usage_error("%s needs a value", argv[i]);
    if (!strcmp(argv[i], "--map")) map_text = argv[i + 1];
    else if (!strcmp(argv[i], "--map-extra")) map_extra = strtoull(argv[i + 1], NULL, 0);
    else if (!strcmp(argv[i], "--op")) ops[op_count++] = argv[i + 1];
    else usage_error("unknown flag %s", argv[i]);
  }
  if (!map_text) usage_error("mapops: --map is required");
  struct map_spec m = parse_map_spec(map_text, 0);
  require_bpf();
  struct text out = {0};
  LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = m.flags, .map_extra = map_extra);
  int fd = bpf_map_create((enum bpf_map_type)m.type, "mapops", m.key_size, m.value_size, m.max_entries, &opts);
  if (fd < 0) {
    text_printf(&out, "{\"create\":%d,\"mapFlags\":null,\"ops\":[],\"entries\":null}\n", errno);
    fputs(out.buf, stdout);
    return 0;
  }
  struct bpf_map_info info = {0};
  uint32_t info_len = sizeof(info);
  bpf_obj_get_info_by_fd(fd, &info, &info_len);
  text_puts(&out, "{");
  json_netns_cookies(&out);
  text_printf(&out, "\"create\":0,\"mapFlags\":%u,\"ops\":[", info.map_flags);
  size_t vsize = user_value_size(m.type, m.value_size);
  for (int i = 0; i < op_count; i++) {
    char *copy = strdup(ops[i]);
    char *parts[4] = {0};
    int n = 0;
    char *p = copy;
    for (; n < 4; n++) {
      parts[n] = p;
      char *colon = strchr(p, ':');
      if (!colon) {
        n++;
        break;
      }
      *colon = '\0';
      p = colon + 1;
    }
    size_t key_len = 0, value_len = 0;
    uint8_t *key = n > 1 ? parse_optional_hex(parts[1], strlen(parts[1]), &key_len, "--op key") : NULL;
    uint8_t *out_bytes = xrealloc(NULL, vsize > m.key_size ? vsize : (m.key_size ? m.key_size : 1));
    int err = 0;
    size_t out_len = 0;
    if (!strcmp(parts[0], "update")) {
      if (n != 4) usage_error("--op '%s': want update:KEYHEX:VALUEHEX:FLAGS", ops[i]);
      uint8_t *value;
      if (parts[2][0] == '@') {
        /* @N: the fd of --netns-socket number N, little-endian in the value's size (a sockmap's 4 or 8 bytes) */
        uint64_t socket_fd = (uint64_t)netns_socket_fd(parts[2] + 1, strlen(parts[2] + 1), "--op");
        value = xrealloc(NULL, vsize ? vsize : 1);
        memset(value, 0, vsize);
        memcpy(value, &socket_fd, vsize < sizeof(socket_fd) ? vsize : sizeof(socket_fd));
        value_len = vsize;
      } else {
        value = parse_hex(parts[2], strlen(parts[2]), &value_len, "--op value");
      }
      if (value_len != vsize) usage_error("--op '%s': value is %zu bytes, want %zu", ops[i], value_len, vsize);
      err = bpf_map_update_elem(fd, key, value, parse_u32(parts[3], "--op flags")) ? errno : 0;
      free(value);
    } else if (!strcmp(parts[0], "delete")) {
      err = bpf_map_delete_elem(fd, key) ? errno : 0;
    } else if (!strcmp(parts[0], "lookup")) {
      /* lookup:KEYHEX:VALUEHEX fills the value buffer first (a bloom filter reads the value to test from it) */
      if (n == 3) {
        uint8_t *value = parse_hex(parts[2], strlen(parts[2]), &value_len, "--op value");
        if (value_len != vsize) usage_error("--op '%s': value is %zu bytes, want %zu", ops[i], value_len, vsize);
        memcpy(out_bytes, value, vsize);
        free(value);
      }
      err = bpf_map_lookup_elem(fd, key, out_bytes) ? errno : 0;
      out_len = vsize;
    } else if (!strcmp(parts[0], "lookup_and_delete")) {
      err = bpf_map_lookup_and_delete_elem(fd, key, out_bytes) ? errno : 0;
      out_len = vsize;
    } else if (!strcmp(parts[0], "next")) {
      err = bpf_map_get_next_key(fd, key, out_bytes) ? errno : 0;
      out_len = m.key_size;
    } else {
      usage_error("--op '%s': unknown operation", ops[i]);
    }
    if (key && key_len != m.key_size) usage_error("--op '%s': key is %zu bytes, want %u", ops[i], key_len, m.key_size);
    text_printf(&out, "%s{\"errno\":%d,\"value\":", i ? "," : "", err);
    if (!err && out_len) json_hex(&out, out_bytes, out_len);
    else text_puts(&out, "null");
    text_puts(&out, "}");
    free(key);
    free(out_bytes);
    free(copy);
  }
  text_puts(&out, "],");
  json_map_entries(&out, fd, m.type, m.key_size, m.value_size);
  text_puts(&out, "}\n");
  close(fd);
  fputs(out.buf, stdout);
  free(out.buf);
  free(ops);
  return 0;
}

/* Brings lo of the current (fresh) namespace up: an interface flag, not a sysctl; nothing is attached. */
static void netns_lo_up(void) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct ifreq ifr = {0};
  strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) usage_error("lo: %s", strerror(errno));
  if (!(ifr.ifr_flags & IFF_UP)) {
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0) usage_error("lo up: %s", strerror(errno));
  }
  close(fd);
}

/* One rtnetlink request in a small buffer: the message, then attributes appended and nested in place. */
struct netlink_request {
  char data[512];
  size_t len;
};

static struct rtattr *netlink_attr(struct netlink_request *req, int type, const void *data, size_t len) {
  struct rtattr *attr = (struct rtattr *)(req->data + NLMSG_ALIGN(req->len));
  attr->rta_type = type;
  attr->rta_len = RTA_LENGTH(len);
  if (len) memcpy(RTA_DATA(attr), data, len);
  req->len = NLMSG_ALIGN(req->len) + RTA_ALIGN(attr->rta_len);
  return attr;
}

static void netlink_nest_end(struct netlink_request *req, struct rtattr *nest) {
  nest->rta_len = (unsigned short)(req->data + req->len - (char *)nest);
}

/* Sends the request and fails with the kernel's errno unless it is acknowledged. */
static void netlink_send(struct netlink_request *req, const char *what) {
  struct nlmsghdr *head = (struct nlmsghdr *)req->data;
  head->nlmsg_len = (uint32_t)req->len;
  head->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0 || sendto(fd, req->data, req->len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
    usage_error("%s: %s", what, strerror(errno));
  char answer[1024];
  ssize_t got = recv(fd, answer, sizeof(answer), 0);
  struct nlmsghdr *reply = (struct nlmsghdr *)answer;
  if (got < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) || reply->nlmsg_type != NLMSG_ERROR)
    usage_error("%s: no acknowledgement", what);
  int err = ((struct nlmsgerr *)NLMSG_DATA(reply))->error;
  if (err) usage_error("%s: %s", what, strerror(-err));
  close(fd);
}

/* `ip link add NAME type veth peer name PEER` in the namespace (both ends down). */
static void netns_veth(const char *name, const char *peer) {
  struct netlink_request req = {0};
  struct nlmsghdr *head = (struct nlmsghdr *)req.data;
  head->nlmsg_type = RTM_NEWLINK;
  head->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
  req.len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
  netlink_attr(&req, IFLA_IFNAME, name, strlen(name) + 1);
  struct rtattr *linkinfo = netlink_attr(&req, IFLA_LINKINFO, NULL, 0);
  netlink_attr(&req, IFLA_INFO_KIND, "veth", 4);
  struct rtattr *data = netlink_attr(&req, IFLA_INFO_DATA, NULL, 0);
  struct ifinfomsg peer_info = {0};
  struct rtattr *peer_attr = netlink_attr(&req, VETH_INFO_PEER, &peer_info, sizeof(peer_info));
  netlink_attr(&req, IFLA_IFNAME, peer, strlen(peer) + 1);
  netlink_nest_end(&req, peer_attr);
  netlink_nest_end(&req, data);
  netlink_nest_end(&req, linkinfo);
  netlink_send(&req, "veth");
}

/* `ip netns set`: the id the current namespace knows the namespace NSFD by (itself, or a peer). */
static void netns_assign_id(int nsfd, int id) {
  struct netlink_request req = {0};
  struct nlmsghdr *head = (struct nlmsghdr *)req.data;
  head->nlmsg_type = RTM_NEWNSID;
  req.len = NLMSG_LENGTH(sizeof(struct rtgenmsg));
  uint32_t fd = (uint32_t)nsfd;
  netlink_attr(&req, NETNSA_NSID, &id, sizeof(id));
  netlink_attr(&req, NETNSA_FD, &fd, sizeof(fd));
  netlink_send(&req, "netns id");
}

static int netns_open_current(void) {
  int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (fd < 0) usage_error("/proc/self/ns/net: %s", strerror(errno));
  return fd;
}

/* Peer namespaces (peer:ID:SPEC), each a fresh namespace the home one (where the program runs) knows by ID. */
#define NETNS_MAX_PEERS 8
static struct {
  int id, fd;
} netns_peers[NETNS_MAX_PEERS];
static int netns_peer_count, netns_home = -1;

static int netns_peer(int id) {
  for (int i = 0; i < netns_peer_count; i++)
    if (netns_peers[i].id == id) return netns_peers[i].fd;
  if (netns_peer_count == NETNS_MAX_PEERS) usage_error("more than %d peer namespaces", NETNS_MAX_PEERS);
  if (netns_home < 0) netns_home = netns_open_current();
  if (unshare(CLONE_NEWNET)) usage_error("unshare(CLONE_NEWNET): %s", strerror(errno));
  int fd = netns_open_current();
  if (setns(netns_home, CLONE_NEWNET)) usage_error("setns: %s", strerror(errno));
  netns_assign_id(fd, id);
  netns_peers[netns_peer_count].id = id;
  netns_peers[netns_peer_count++].fd = fd;
  return fd;
}

static void netns_bind_device(int fd, const char *device) {
  if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device, (socklen_t)strlen(device) + 1) < 0)
    usage_error("SO_BINDTODEVICE %s: %s", device, strerror(errno));
}

/* A socket bound to 127.0.0.1:port, with SO_REUSEPORT first when asked (a reuseport group of one). */
static int netns_bound_socket_reuse(int type, unsigned port, int reuseport) {
  int fd = socket(AF_INET, type, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &reuseport, sizeof(reuseport)) < 0) ||
      bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
    usage_error("bind 127.0.0.1:%u: %s", port, strerror(errno));
  return fd;
}

static int netns_bound_socket(int type, unsigned port) {
  return netns_bound_socket_reuse(type, port, 0);
}

/* The same on ::1 (IPv6 only), or on :: with IPV6_V6ONLY as given. */
static int netns_bound_socket6(int type, unsigned port, bool wildcard, int v6only) {
  int fd = socket(AF_INET6, type, 0);
  struct sockaddr_in6 addr = {.sin6_family = AF_INET6, .sin6_port = htons(port)};
  if (!wildcard) addr.sin6_addr = in6addr_loopback;
  if (fd < 0 || setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)) < 0 ||
      bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
    usage_error("bind [%s]:%u: %s", wildcard ? "::" : "::1", port, strerror(errno));
  return fd;
}

static void netns_connect(int fd, unsigned port) {
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0) usage_error("connect: %s", strerror(errno));
}

/* 127.0.0.1 as /proc/net/tcp and (IPv4-mapped) /proc/net/tcp6 print it. */
#define PROC_LOOPBACK4 "0100007F"
#define PROC_LOOPBACK4_MAPPED "0000000000000000FFFF00000100007F"

/*
 * Waits (up to 2 s) until FILE (this namespace's /proc/net/tcp or tcp6) lists ADDRESS:LOCAL - ADDRESS:REMOTE in
 * STATE: loopback packets are handled in softirq, which a busy machine may defer past the syscall that sent them.
 */
static void netns_await_tcp(const char *file, const char *address, unsigned local, unsigned remote, unsigned state) {
  char want[128];
  snprintf(want, sizeof(want), "%s:%04X %s:%04X %02X", address, local, address, remote, state);
  for (int attempt = 0; attempt < 200; attempt++) {
    FILE *f = fopen(file, "r");
    char line[512];
    bool seen = false;
    while (f && fgets(line, sizeof(line), f))
      if (strstr(line, want)) seen = true;
    if (f) fclose(f);
    if (seen) return;
    usleep(10000);
  }
  usage_error("no TCP socket %u-%u in state %u", local, remote, state);
}

/* /proc/net/tcp's states: TCP_SYN_RECV (how request sockets show) and TCP_TIME_WAIT. */
#define PROC_TCP_SYN_RECV 3
#define PROC_TCP_TIME_WAIT 6

/* A listener that keeps a bare final ACK's request socket (TCP_DEFER_ACCEPT) and a client that completes it. */
static void netns_request(int listener, bool v6, unsigned lport, unsigned cport) {
  int defer = 30;
  if (setsockopt(listener, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof(defer)) < 0 || listen(listener, 16) < 0)
    usage_error("listen: %s", strerror(errno));
  netns_connect(netns_bound_socket(SOCK_STREAM, cport), lport);
  if (v6)
    netns_await_tcp("/proc/net/tcp6", PROC_LOOPBACK4_MAPPED, lport, cport, PROC_TCP_SYN_RECV);
  else
    netns_await_tcp("/proc/net/tcp", PROC_LOOPBACK4, lport, cport, PROC_TCP_SYN_RECV);
}

/* --netns-socket SPEC: a socket on 127.0.0.1 in the fresh namespace (or a device, an id, a peer's socket), left
 * open until the process exits. */
static void netns_socket(const char *spec) {
  unsigned a = 0, b = 0;
  int id = 0;
  char name[IFNAMSIZ] = {0}, peer[IFNAMSIZ] = {0};
  if (sscanf(spec, "veth:%15[^:]:%15s", name, peer) == 2) {
    netns_veth(name, peer);
    return;
  }
  if (sscanf(spec, "netns-id:%d", &id) == 1) {
    int self = netns_open_current();
    netns_assign_id(self, id);
    close(self);
    return;
  }
  int consumed = 0;
  if (sscanf(spec, "peer:%d:%n", &id, &consumed) == 1 && consumed > 0) {
    /* Sockets keep the namespace they were made in; the program runs back home. */
    if (setns(netns_peer(id), CLONE_NEWNET)) usage_error("setns: %s", strerror(errno));
    netns_socket(spec + consumed);
    if (setns(netns_home, CLONE_NEWNET)) usage_error("setns: %s", strerror(errno));
    return;
  }
  netns_lo_up();
  /* The socket the spec leaves open (a request's listener, a connection's client; none for time-wait): what
   * --netns-sockmap and mapops' @N number from 0. */
  int fd = -1;
  if (netns_socket_count == NETNS_SOCKETS_MAX) usage_error("at most %d --netns-socket", NETNS_SOCKETS_MAX);
  if (sscanf(spec, "tcp-listen-dev:%u:%15s", &a, name) == 2) {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(a)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    netns_bind_device(fd, name);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 16) < 0)
      usage_error("tcp-listen-dev %u %s: %s", a, name, strerror(errno));
  } else if (sscanf(spec, "udp-dev:%u:%15s", &a, name) == 2) {
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(a)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    netns_bind_device(fd, name);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
      usage_error("udp-dev %u %s: %s", a, name, strerror(errno));
  } else if (sscanf(spec, "tcp-listen-reuseport:%u", &a) == 1) {
    fd = netns_bound_socket_reuse(SOCK_STREAM, a, 1);
    if (listen(fd, 16) < 0) usage_error("listen: %s", strerror(errno));
  } else if (sscanf(spec, "udp-reuseport:%u", &a) == 1) {
    fd = netns_bound_socket_reuse(SOCK_DGRAM, a, 1);
  } else if (sscanf(spec, "tcp-listen:%u", &a) == 1) {
    fd = netns_bound_socket(SOCK_STREAM, a);
    if (listen(fd, 16) < 0) usage_error("listen: %s", strerror(errno));
  } else if (sscanf(spec, "tcp6-listen-dual:%u", &a) == 1) {
    fd = netns_bound_socket6(SOCK_STREAM, a, true, 0);
    if (listen(fd, 16) < 0) usage_error("listen: %s", strerror(errno));
  } else if (sscanf(spec, "tcp6-listen-any:%u", &a) == 1) {
    fd = netns_bound_socket6(SOCK_STREAM, a, true, 1);
    if (listen(fd, 16) < 0) usage_error("listen: %s", strerror(errno));
  } else if (sscanf(spec, "tcp6-listen:%u", &a) == 1) {
    fd = netns_bound_socket6(SOCK_STREAM, a, false, 1);
    if (listen(fd, 16) < 0) usage_error("listen: %s", strerror(errno));
  } else if (sscanf(spec, "udp6-dual:%u", &a) == 1) {
    fd = netns_bound_socket6(SOCK_DGRAM, a, true, 0);
  } else if (sscanf(spec, "udp6:%u", &a) == 1) {
    fd = netns_bound_socket6(SOCK_DGRAM, a, false, 1);
  } else if (sscanf(spec, "udp:%u", &a) == 1) {
    fd = netns_bound_socket(SOCK_DGRAM, a);
  } else if (sscanf(spec, "tcp-connect:%u:%u", &a, &b) == 2) {
    fd = netns_bound_socket(SOCK_STREAM, a);
    netns_connect(fd, b);
  } else if (sscanf(spec, "tcp-request:%u:%u", &a, &b) == 2) {
    fd = netns_bound_socket(SOCK_STREAM, a);
    netns_request(fd, false, a, b);
  } else if (sscanf(spec, "tcp6-request-dual:%u:%u", &a, &b) == 2) {
    fd = netns_bound_socket6(SOCK_STREAM, a, true, 0);
    netns_request(fd, true, a, b);
  } else if (sscanf(spec, "tcp-time-wait:%u:%u", &a, &b) == 2) {
    /* The client closes first, so its end waits; the server's end and the listener are closed too. */
    int listener = netns_bound_socket(SOCK_STREAM, a);
    if (listen(listener, 16) < 0) usage_error("listen: %s", strerror(errno));
    int client = netns_bound_socket(SOCK_STREAM, b);
    netns_connect(client, a);
    int server = accept(listener, NULL, NULL);
    if (server < 0) usage_error("accept: %s", strerror(errno));
    close(client);
    close(server);
    close(listener);
    netns_await_tcp("/proc/net/tcp", PROC_LOOPBACK4, b, a, PROC_TCP_TIME_WAIT);
  } else {
    usage_error("bad --netns-socket '%s'", spec);
  }
  if (fd >= 0) netns_socket_fds[netns_socket_count++] = fd;
}

/* "netnsSocketCookies":[...], (SO_COOKIE of each --netns-socket, in order) when there are any. */
static void json_netns_cookies(struct text *t) {
  if (!netns_socket_count) return;
  text_puts(t, "\"netnsSocketCookies\":[");
  for (int i = 0; i < netns_socket_count; i++) {
    uint64_t cookie = 0;
    socklen_t len = sizeof(cookie);
    if (getsockopt(netns_socket_fds[i], SOL_SOCKET, SO_COOKIE, &cookie, &len) < 0)
      usage_error("SO_COOKIE: %s", strerror(errno));
    text_printf(t, "%s\"%llu\"", i ? "," : "", (unsigned long long)cookie);
  }
  text_puts(t, "],");
}

/* Reads a pipe to its end into t (NUL-terminated). */
static void read_all(int fd, struct text *t) {
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) text_add(t, buf, (size_t)n);
  text_add(t, "", 1);
  t->len--;
  close(fd);
}

/* Runs iproute2's `ip ARGS` (ARGS split on spaces) forked and exec'd without a shell; returns its exit status (-1:
 * killed). With out/err, its stdout and stderr are captured there; without, its stdout goes to our stderr, so that
 * nothing mixes with our JSON. */
static int run_ip(const char *args, struct text *out, struct text *err) {
  char *copy = strdup(args), *argv[64] = {"ip"}, *save = NULL;
  int n = 1, status = 0, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  for (char *word = strtok_r(copy, " ", &save); word; word = strtok_r(NULL, " ", &save)) {
    if (n == 63) usage_error("ip '%s': too many words", args);
    argv[n++] = word;
  }
  argv[n] = NULL;
  if (out && (pipe(out_pipe) < 0 || pipe(err_pipe) < 0)) usage_error("pipe: %s", strerror(errno));
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) usage_error("fork: %s", strerror(errno));
  if (pid == 0) {
    if (out) {
      dup2(out_pipe[1], STDOUT_FILENO);
      dup2(err_pipe[1], STDERR_FILENO);
      close(out_pipe[0]), close(err_pipe[0]), close(out_pipe[1]), close(err_pipe[1]);
    } else {
      dup2(STDERR_FILENO, STDOUT_FILENO);
    }
    execvp("ip", argv);
    _exit(127);
  }
  if (out) {
    /* ip's answers are short: read stdout to its end, then stderr */
    close(out_pipe[1]), close(err_pipe[1]);
    read_all(out_pipe[0], out);
    read_all(err_pipe[0], err);
  }
  if (waitpid(pid, &status, 0) < 0) usage_error("waitpid: %s", strerror(errno));
  free(copy);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* --netns-ip 'ARGS': `ip ARGS` in this (fresh) namespace. Only namespace-local state (devices, addresses, routes,
 * rules, neighbours) changes; a failure is a usage error. */
static void netns_ip(const char *args) {
  int status = run_ip(args, NULL, NULL);
  if (status != 0) usage_error("ip %s: exit status %d", args, status);
}

/* oracle [--netns ...] ip 'ARGS'...: runs each `ip ARGS` (queries such as `-j route get ...`) and reports its exit
 * status, stdout and stderr: the kernel's own route lookup, next to bpf_fib_lookup's. */
static int mode_ip(int argc, char **argv) {
  struct text out = {0};
  text_puts(&out, "{\"ip\":[");
  for (int i = 2; i < argc; i++) {
    struct text so = {0}, se = {0};
    int status = run_ip(argv[i], &so, &se);
    text_puts(&out, i > 2 ? ",{\"args\":" : "{\"args\":");
    json_string(&out, argv[i]);
    text_printf(&out, ",\"status\":%d,\"stdout\":", status);
    json_string_n(&out, so.buf ? so.buf : "", so.len);
    text_puts(&out, ",\"stderr\":");
    json_string_n(&out, se.buf ? se.buf : "", se.len);
    text_puts(&out, "}");
    free(so.buf);
    free(se.buf);
  }
  text_puts(&out, "]}\n");
  fputs(out.buf, stdout);
  free(out.buf);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) usage_error("a mode is required: probe, insns, batch or object");
  /* libbpf's default printer writes to stderr; keep stderr quiet except for our own usage errors */
  libbpf_set_print(libbpf_print);
  /* --netns first: run in a fresh network namespace of this process only (just `lo`, down), so helpers
   * that read host state (routes, sockets, devices) answer as on an empty host. Nothing is attached. */
  if (!strcmp(argv[1], "--netns")) {
    if (unshare(CLONE_NEWNET)) {
      printf("{\"unavailable\":\"unshare(CLONE_NEWNET): %s\"}\n", strerror(errno));
      return EXIT_UNAVAILABLE;
    }
    argv++;
    argc--;
    while (argc >= 3 && (!strcmp(argv[1], "--netns-socket") || !strcmp(argv[1], "--netns-ip"))) {
      if (!strcmp(argv[1], "--netns-ip"))
        netns_ip(argv[2]);
      else
        netns_socket(argv[2]);
      argv += 2;
      argc -= 2;
    }
    if (argc < 2) usage_error("a mode is required after --netns");
  }
  if (!strcmp(argv[1], "probe")) return mode_probe();
  if (!strcmp(argv[1], "insns")) return mode_insns(argc, argv);
  if (!strcmp(argv[1], "object")) return mode_object(argc, argv);
  if (!strcmp(argv[1], "batch")) return mode_batch(argc, argv);
  if (!strcmp(argv[1], "mapops")) return mode_mapops(argc, argv);
  if (!strcmp(argv[1], "ip")) return mode_ip(argc, argv);
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    usage_text(stdout);
    return 0;
  }
  usage_error("unknown mode '%s'", argv[1]);
}
