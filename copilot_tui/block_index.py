"""The users reports' block index: where each user's lines sit in a stored part, so one user's rows are read
without inflating the rest.

A part is compressed in blocks of about ``BLOCK`` raw bytes (whole lines), each ended by a zlib full flush: the blob
is still one ordinary zlib stream, and a block can also be inflated on its own from its offset. The index is four
byte strings the store keeps beside the part: the blocks' compressed offsets (int64 array), the sorted user ids and
the block of each (int64 arrays; a user whose lines span blocks appears once per block), and a CRC-32 of each block
(uint32 array). The store (:mod:`copilot_tui.store`) keeps and reads them; this module makes and reads their format.
"""

from __future__ import annotations

import zlib
from array import array
from bisect import bisect_left

from copilot_tui.metrics.linerule import USER_ID

BLOCK = 1 << 20
"""About how many raw bytes a block holds (it ends at the end of a line)."""


def compress_indexed(data: bytes, level: int) -> tuple[bytes, tuple[bytes, bytes, bytes, bytes]]:
    """``data`` as one zlib stream (at ``level``) made of independently inflatable blocks of whole lines, and its
    user index."""
    c = zlib.compressobj(level)
    out = [c.compress(b"")]
    size = 2  # the zlib header, written with the first output
    offsets = array("q")
    pairs: set[tuple[int, int]] = set()
    start = 0
    n = len(data)
    while start < n:
        end = data.rfind(b"\n", start, start + BLOCK) + 1 if start + BLOCK < n else n
        if end <= start:  # a line longer than a block
            end = data.find(b"\n", start + BLOCK)
            end = n if end < 0 else end + 1
        block_no = len(offsets)
        offsets.append(size)
        for m in USER_ID.finditer(data, start, end):
            pairs.add((int(m[1]), block_no))
        piece = c.compress(data[start:end]) + c.flush(zlib.Z_FULL_FLUSH)
        out.append(piece)
        size += len(piece)
        start = end
    offsets.append(size)
    out.append(c.flush())
    ordered = sorted(pairs)
    blob = b"".join(out)
    sums = array("I", (zlib.crc32(blob[a:b]) for a, b in zip(offsets, offsets[1:], strict=False)))
    return blob, (
        offsets.tobytes(),
        array("q", [u for u, _ in ordered]).tobytes(),
        array("q", [b for _, b in ordered]).tobytes(),
        sums.tobytes(),
    )


def blocks_of(user_id: int, user_ids: bytes, user_blocks: bytes) -> list[int]:
    """The blocks holding ``user_id``'s lines, from a part's ``user_ids`` and ``user_blocks``."""
    ids = array("q")
    ids.frombytes(user_ids)
    at = bisect_left(ids, user_id)
    if at == len(ids) or ids[at] != user_id:
        return []
    blocks = array("q")
    blocks.frombytes(user_blocks)
    found = []
    while at < len(ids) and ids[at] == user_id:
        found.append(blocks[at])
        at += 1
    return found


def block_offsets(blocks: bytes) -> array[int]:
    """The compressed offsets of a part's blocks, and of its end (block ``b`` spans ``[b]..[b + 1]``)."""
    offsets = array("q")
    offsets.frombytes(blocks)
    return offsets


def block_checksum(block_sums: bytes, block: int) -> int:
    """The CRC-32 of ``block``'s compressed bytes as stored."""
    sums = array("I")
    sums.frombytes(block_sums)
    return sums[block]


def inflate_block(data: bytes) -> bytes:
    """One block's compressed bytes inflated on their own (a raw deflate piece of the part's stream)."""
    return zlib.decompressobj(-15).decompress(data)
