"""A streamed batch passes each record on once, in chunks, and keeps what a plain batch keeps."""

from __future__ import annotations

from typing import Any

from carepath.interop.hsds_records import ImportBatch, ParsedRecord, Problem
from carepath.interop.hsds_stream import Chunk, ChunkNews, StreamedBatch


def _record(table: str, record_id: str, **values: Any) -> ParsedRecord:
    return ParsedRecord(table, {"id": record_id, **values}, "f.json", "", {f"f.json#{record_id}"})


def _streamed(chunk_size: int) -> tuple[StreamedBatch, list[tuple[Chunk, ChunkNews]]]:
    sent: list[tuple[Chunk, ChunkNews]] = []
    return StreamedBatch(send=lambda chunk, news: sent.append((chunk, news)), chunk_size=chunk_size), sent


def test_each_new_record_goes_once_a_chunk_at_a_time() -> None:
    batch, sent = _streamed(chunk_size=2)
    batch.origins += ["a", "b"]
    batch.expected = 4
    batch.add(_record("service", "s1", name="One"))
    batch.add(_record("organization", "o1", name="Org"))
    batch.add(_record("organization", "o1", name="Org"))  # seen again, the same: not sent again
    batch.origins += ["c", "d"]
    batch.add(_record("service", "s2", name="Two"))
    batch.flush()

    assert [chunk for chunk, _news in sent] == [
        {"service": [{"id": "s1", "name": "One"}], "organization": [{"id": "o1", "name": "Org"}]},
        {"service": [{"id": "s2", "name": "Two"}]},
    ]
    news = sent[0][1]
    assert (news.records_found, news.origins_read, news.origins_expected) == (2, 2, 4)
    assert news.records_expected() == 4  # half the top-level records read, two records found
    assert sent[-1][1].records_expected() == 3 and not sent[-1][1].has_errors  # all read: exact
    assert batch.amended() == {}


def test_a_sighting_that_completes_a_sent_record_amends_it() -> None:
    batch, _sent = _streamed(chunk_size=1)
    batch.add(_record("organization", "o1", name="Org"))
    batch.add(_record("organization", "o1", name="Org", website="https://example.org"))

    assert batch.amended() == {
        "organization": [{"id": "o1", "name": "Org", "website": "https://example.org"}]
    }


def test_problems_and_records_are_those_a_plain_batch_keeps() -> None:
    plain = ImportBatch()
    batch, sent = _streamed(chunk_size=1)
    for each in (plain, batch):
        each.add(_record("service", "s1", name="One"))
        each.add(_record("service", "s1", name="Another"))  # disagrees
        each.report(Problem("f.json", "", "name", "is wrong"))

    assert batch.problems == plain.problems and len(batch.problems) == 2
    assert {key: record.values for key, record in batch.records.items()} == {
        key: record.values for key, record in plain.records.items()
    }
    batch.flush()
    assert sent[-1][1].has_errors
