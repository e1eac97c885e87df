"""A pool of supporters prepared once, so each person is compared with all of them quickly."""

from __future__ import annotations

from collections.abc import Sequence

from carepath_core.matching.experience_text import (
    ExperienceScorer,
    ExperienceScorerFactory,
    LexicalExperiences,
)
from carepath_core.matching.profiles import Seeker, Supporter
from carepath_core.matching.tables import Codebook, SeekerTable, SupporterTable


class SupporterPool:
    """Supporters with their columns of numbers and their descriptions indexed by word.

    `experiences` builds the scorer for free-text descriptions: the lexical one by default, or
    any other `ExperienceScorer` (a semantic one, say) given the supporters' texts in pool order.
    """

    def __init__(
        self, supporters: Sequence[Supporter], experiences: ExperienceScorerFactory = LexicalExperiences
    ) -> None:
        self.supporters = tuple(supporters)
        self.positions = {supporter.id: position for position, supporter in enumerate(self.supporters)}
        if len(self.positions) != len(self.supporters):
            raise ValueError("supporter ids must be unique within a pool")
        self.codebook = Codebook.of(self.supporters)
        self.table = SupporterTable.of(self.supporters, self.codebook)
        self.experiences: ExperienceScorer = experiences([s.experience for s in self.supporters])

    def __len__(self) -> int:
        return len(self.supporters)

    def seeker_table(self, seekers: Sequence[Seeker]) -> SeekerTable:
        return SeekerTable.of(seekers, self.codebook, self.positions)
