"""Referral pages: a person's own support (/support/), a supporter's people (/supporting/), and
everyone's notices (/notifications/)."""
