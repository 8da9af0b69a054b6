"""What this CPU multiplies fast: read from its own flags, because torch's answer can mislead.

oneDNN reports bf16 as supported on any AVX-512 CPU and then emulates it, which ran 3x slower
than fp32 on a Xeon without avx512_bf16. The flags in /proc/cpuinfo say what the hardware has.
"""

from __future__ import annotations

from pathlib import Path

CPUINFO = Path("/proc/cpuinfo")
BF16_CPU_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})
# int8 dot products into 32-bit sums in one instruction
INT8_DOT_FLAGS = frozenset({"avx512_vnni", "avx_vnni", "amx_int8"})


def cpu_flags(cpuinfo: str | None = None) -> frozenset[str]:
    """The feature flags of the first processor listed in a /proc/cpuinfo text (this CPU's by default).

    Empty where the flags cannot be read: every choice below then falls back to the safe one.
    """
    if cpuinfo is None:
        try:
            cpuinfo = CPUINFO.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return frozenset()
    for line in cpuinfo.splitlines():
        name, _, value = line.partition(":")
        if name.strip() in ("flags", "Features"):
            return frozenset(value.split())
    return frozenset()


def native_bf16(cpuinfo: str | None = None) -> bool:
    """Whether this CPU multiplies bf16 matrices in hardware (AVX512-BF16 or AMX)."""
    return bool(cpu_flags(cpuinfo) & BF16_CPU_FLAGS)


def int8_dot_products(cpuinfo: str | None = None) -> bool:
    """Whether this CPU multiplies int8 into 32-bit sums in one instruction (VNNI or AMX).

    Without them (AVX2 alone) int8 products take several instructions through 16-bit
    intermediates, so int8 is not the sure gain there that it is with them; auto leaves such
    CPUs on bf16 or fp32.
    """
    return bool(cpu_flags(cpuinfo) & INT8_DOT_FLAGS)
