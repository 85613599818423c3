/* engine/entry_codec.h — not a public header: the binary encoding of a watchlist entry as the
 * alert store keeps it (store.c, records database).
 *
 * Layout (all integers little-endian, written byte by byte; no struct is ever copied to disk):
 *   u8 codec version (PS_ENTRY_CODEC_VERSION), u8 flags (bit 0: deleted), u8 action, u8 gender
 *   str list, str id, str category
 *   u16 n, then n names:         u8 type, str surname, str given_names, str full
 *   u16 n, then n birth dates:   u16 year, u8 month, u8 day, u8 hour, u8 minute, u8 precision
 *   u16 n, then n nationalities: str
 *   u16 n, then n documents:     str type, str number, str pattern, str issuer, str status
 *   u16 n, then n name patterns: str
 * where str is a u16 byte length followed by the bytes (no terminator). The encoding is
 * exactly as long as its fields: decoding rejects trailing bytes.
 *
 * Decoding is zero copy: strings point into the encoded bytes (so they live as long as those
 * bytes do — in the store, as long as the snapshot), arrays are allocated in an arena, empty
 * strings decode as PS_STR_NULL and empty arrays as NULL. */
#ifndef PAXSCREEN_ENGINE_ENTRY_CODEC_H
#define PAXSCREEN_ENGINE_ENTRY_CODEC_H

#include "paxscreen/watchlist.h"

#define PS_ENTRY_CODEC_VERSION   1
#define PS_ENTRY_CODEC_MAX_STR   65535u /* bytes in one string */
#define PS_ENTRY_CODEC_MAX_ITEMS 65535u /* items in one array */

/* Appends the encoding of e to out. Returns PS_STORE_OK, or PS_STORE_INVALID (out unchanged,
 * err naming the field: "names[2].full: longer than 65535 bytes") when e does not fit. */
int ps_entry_encode(const ps_wl_entry *e, ps_buf *out, char *err, size_t errlen);

/* Decodes len bytes at data into out. Returns PS_STORE_OK, or PS_STORE_INVALID with a message
 * when the bytes are not an encoding of this version (truncated, trailing bytes, bad enum). */
int ps_entry_decode(const void *data, size_t len, ps_arena *arena, ps_wl_entry *out, char *err,
                    size_t errlen);

#endif
