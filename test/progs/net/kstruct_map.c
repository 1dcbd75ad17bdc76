/* A map read through its pointer (&map): the map type's kernel struct (bpf_array, bpf_htab), struct bpf_map's
 * type, sizes, flags and name, and bpf_array's elem_size and index_mask. */
#include "../progs.h"
#include "kstruct_offsets.h"

struct map_view {
  __u32 type, key_size, value_size, max_entries, flags, elem_size, index_mask;
  char name[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, struct map_view);
} views SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 100);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, __u64);
  __type(value, __u16);
} flows SEC(".maps");

SEC("tc")
int tc_kstruct_map(struct __sk_buff *skb) {
  __u32 slot = 0;
  struct map_view *v = bpf_map_lookup_elem(&views, &slot);
  if (!v) return TC_ACT_SHOT;
  v->type = KREAD(__u32, &views, MAP_TYPE);
  v->key_size = KREAD(__u32, &views, MAP_KEY_SIZE);
  v->value_size = KREAD(__u32, &views, MAP_VALUE_SIZE);
  v->max_entries = KREAD(__u32, &views, MAP_MAX_ENTRIES);
  v->flags = KREAD(__u32, &views, MAP_FLAGS);
  v->elem_size = KREAD(__u32, &views, ARRAY_ELEM_SIZE);
  v->index_mask = KREAD(__u32, &views, ARRAY_INDEX_MASK);
  *(__u64 *)v->name = KREAD(__u64, &views, MAP_NAME);
  *(__u64 *)(v->name + 8) = KREAD(__u64, &views, MAP_NAME + 8);
  slot = 1;
  v = bpf_map_lookup_elem(&views, &slot);
  if (!v) return TC_ACT_SHOT;
  v->type = KREAD(__u32, &flows, MAP_TYPE);
  v->key_size = KREAD(__u32, &flows, MAP_KEY_SIZE);
  v->value_size = KREAD(__u32, &flows, MAP_VALUE_SIZE);
  v->max_entries = KREAD(__u32, &flows, MAP_MAX_ENTRIES);
  v->flags = KREAD(__u32, &flows, MAP_FLAGS);
  *(__u64 *)v->name = KREAD(__u64, &flows, MAP_NAME);
  *(__u64 *)(v->name + 8) = KREAD(__u64, &flows, MAP_NAME + 8);
  return skb->len < KREAD(__u32, &flows, MAP_MAX_ENTRIES) ? TC_ACT_OK : TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
