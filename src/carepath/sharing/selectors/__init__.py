"""Reading sharing choices (`grants`), the shared records themselves (`records`) and a service's
confidentiality policy shown before contact (`confidentiality`). Selectors do not decide who may
see what; `carepath.policy` does, and asks `grants` for the facts."""
