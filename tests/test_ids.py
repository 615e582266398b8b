"""ULIDs: the log's ids. Their text must never change form: merged logs compare them."""

from __future__ import annotations

from leadcards import ids


def test_time_prefix_and_alphabet_are_pinned() -> None:
    """The first ten characters are the millisecond, in Crockford base32."""
    made = ids.ulid(1_772_442_000_000)
    assert made[:10] == "01KJPWD6M0" and len(made) == 26
    assert set(made) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert ids._encode((1 << 128) - 1) == "7" + "Z" * 25
    assert ids._encode(0) == "0" * 26


def test_ids_sort_by_time() -> None:
    assert ids.ulid(1_000) < ids.ulid(1_001) < ids.ulid(2**40)


def test_ulid_after_follows_the_previous_id_of_the_same_millisecond() -> None:
    assert ids.ulid_after(5, "0000000005ZZZZZZZZZZZZZZZZ") == "00000000060000000000000000"
    low = "00000000050000000000000000"
    assert ids.ulid_after(5, low) > low
    chain = [ids.ulid_after(7, None)]
    for _ in range(50):
        chain.append(ids.ulid_after(7, chain[-1]))
    assert chain == sorted(chain) and len(set(chain)) == 51
