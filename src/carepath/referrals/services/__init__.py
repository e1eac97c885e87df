"""Writing referrals, contact logs, hand-offs and notices. Every change is checked whole before
anything is written and is audited in the same transaction (docs/referrals.md)."""
