"""diagnose(): run the rule table over a log and rank what it finds."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache

from .fallback import crashed, names_an_error, unhandled
from .finding import UNKNOWN, Finding
from .noise import ANSI, split_prefixes
from .place import Place
from .prefilter import needle_pattern
from .rules import RULES, Rule
from .structured import unpacked
from .tracebacks import HEADER, MARKERS, Tracebacks


def _rules_by_needle(rules: Iterable[Rule]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = defaultdict(list)
    for number, rule in enumerate(rules):
        for needle in rule.needles:
            found[needle].append(number)
    return dict(found)


_NEEDLE_RULES = _rules_by_needle(RULES)
# Searching lower-cased lines case-sensitively is ~10x faster than re.IGNORECASE, and it
# leaves the per-rule regexes only the few lines that can match.
# An error that escaped every handler is read too (fallback.unhandled), whatever the runtime.
_UNHANDLED_NEEDLES = ("panic: ", "goroutine ", "uncaught", "unhandled")


@cache
def _prefilter() -> re.Pattern[str]:
    """Built at the first log read, not at import."""
    return needle_pattern({*_NEEDLE_RULES, HEADER, *MARKERS, *_UNHANDLED_NEEDLES})


# The cause of a failure sits near the end of its log; reading only the latest lines that can
# match keeps a log that is one long retry loop as fast as any other.
_LATEST = 1000
_TARGET_PARTS = re.compile(r"[\[\]]|:(?=\d+$)")
_EFFECTS = frozenset({"connection-refused"})
_EXPLAIN_EFFECTS = frozenset({"unresolvable-host", "missing-binary"})
# A matching warning is still worth reporting, but after any error.
_WARNING = re.compile(r"\bWARN(?:ING)?\b|Warning:|\bwarning:|\[warn\]")


@dataclass(frozen=True)
class _Hit:
    finding: Finding
    index: int
    warning: bool
    rule: Rule


@dataclass
class _Log:
    printed: list[str]  # as the log has them: the evidence
    lines: list[str]  # without the prefixes a log shipper or runner added: what rules read
    lowered: list[str]
    exit_status: int | None
    runners: list[str] | None = None  # the service each line is from, in a multi-service log
    searched: dict[re.Pattern[str], re.Match[str] | None] = field(default_factory=dict)

    def place(self, index: int) -> Place:
        return Place(self.lines, index, self.exit_status, self.searched)


def diagnose(text: str, *, exit_status: int | None = None,
             running: bool = False) -> list[Finding]:
    """The findings for a failed run's log, most likely cause first, one per kind and subject.
    With nothing recognised, a non-zero status or a line naming an error gives one `crashed`.
    `running`: the log of a service that still runs, read as it is written: a warning is no
    cause there, and only an unhandled error (a traceback, a panic) gives a `crashed`."""
    if "\x1b" in text:
        text = ANSI.sub("", text)
    printed = text.replace("\r\n", "\n").split("\n")
    stripped, runners = split_prefixes(printed)
    if runners is None:
        lines, printed = unpacked(stripped, printed, _worth)
    else:  # the services' names must stay beside their lines too
        lines, origin = unpacked(stripped, list(range(len(stripped))), _worth)
        printed, runners = [printed[i] for i in origin], [runners[i] for i in origin]
    log = _Log(printed, lines, [line.lower() for line in lines], exit_status, runners)
    candidates = [index for index, line in enumerate(log.lowered) if _prefilter().search(line)]
    tracebacks = _tracebacks(log, candidates)
    hits = _hits(log, reversed(candidates), tracebacks)
    findings = _rank(log, [hit for hit in hits if not hit.warning] if running else hits,
                     tracebacks)
    if findings:
        return findings
    if running:
        return [_as_printed(log, crashed(log.lines, None))] if unhandled(log.lines) else []
    if exit_status or names_an_error(log.lines):
        return [_as_printed(log, crashed(log.lines, exit_status))]
    return []


def _as_printed(log: _Log, finding: Finding) -> Finding:
    """The finding with its evidence as the log printed it, prefixes and all."""
    if log.printed is log.lines:
        return finding
    index = next((i for i, line in enumerate(log.lines) if line.strip() == finding.evidence), None)
    return finding if index is None else replace(finding, evidence=log.printed[index].strip())


def _worth(lowered: str) -> bool:
    return bool(_prefilter().search(lowered))


def worth_reading(line: str) -> bool:
    """Could a rule (or a traceback) be read from this line? The cheap test, for a log read
    line by line as it grows."""
    return _worth(line.lower())


def _tracebacks(log: _Log, candidates: list[int]) -> Tracebacks:
    headers = [index for index in candidates if HEADER in log.lowered[index]]
    markers = {i for i in candidates if any(marker in log.lowered[i] for marker in MARKERS)}
    return Tracebacks.scan(log.lines, headers, markers)


def _hits(log: _Log, candidates: Iterable[int], tracebacks: Tracebacks) -> list[_Hit]:
    """Rule matches, latest first. A line repeated verbatim (a retry loop) is read once, at
    its latest place: that is where ranking would put it anyway."""
    seen: set[str] = set()
    hits = []
    for index in candidates:
        line = log.lines[index]
        if line in seen or tracebacks.in_frames(index):
            continue
        seen.add(line)
        hit = _match(log.place(index), log.lowered[index], log.printed[index])
        if hit:
            hits.append(hit)
        if len(seen) >= _LATEST:
            break
    return hits


def _match(place: Place, lowered: str, printed: str) -> _Hit | None:
    """The first rule in table order that matches the line and names a subject."""
    numbers = {n for needle, rules in _NEEDLE_RULES.items() if needle in lowered for n in rules}
    for number in sorted(numbers):
        rule = RULES[number]
        found = rule.pattern.search(place.line)
        subject = found and rule.subject(found, place)
        if subject:
            finding = Finding.build(rule.kind, subject, fix=rule.advice(subject),
                                    evidence=printed)
            return _Hit(finding, place.index, bool(_WARNING.search(place.line)), rule)
    return None


def _rank(log: _Log, hits: list[_Hit], tracebacks: Tracebacks) -> list[Finding]:
    """Errors before warnings, the latest failure first; inside a chain of Python tracebacks,
    the root cause first. A finding whose subject its line left unknown gives way to one of
    the same kind that names it, else reads the subject from the lines around it."""
    ordered = _causes_first(log, sorted(hits, key=lambda hit: _order(hit, tracebacks)))
    named: dict[str, Finding] = {}
    for hit in ordered:
        if hit.finding.subject != UNKNOWN:
            named.setdefault(hit.finding.kind, hit.finding)
    ranked: dict[tuple[str, str], Finding] = {}
    for hit in ordered:
        chosen = hit.finding
        if chosen.subject == UNKNOWN:
            chosen = named.get(chosen.kind) or _look_around(log, hit)
            named.setdefault(chosen.kind, chosen)  # one look-around per kind is enough
        kept = ranked.setdefault((chosen.kind, chosen.subject), chosen)
        if not _names(kept.evidence, kept.subject) and _names(chosen.evidence, chosen.subject):
            # Same cause, but this line spells the subject out: the better evidence.
            ranked[(kept.kind, kept.subject)] = replace(kept, evidence=chosen.evidence)
    return list(ranked.values())


def _causes_first(log: _Log, ordered: list[_Hit]) -> list[_Hit]:
    """A refused connection is how a dependency that never came up looks from its client. When
    the log also says why it could not come up (a host that does not resolve, a program
    missing from its container), that error goes first, wherever it sits in the log; and so
    does any error another service of the same log printed before the refusal (it failed to
    start, then its siblings were refused)."""
    effect = next((i for i, hit in enumerate(ordered) if hit.finding.kind in _EFFECTS), None)
    if effect is None:
        return ordered
    later = ordered[effect:]
    causes = [hit for hit in later if not hit.warning and (
        hit.finding.kind in _EXPLAIN_EFFECTS or _failed_before(log, hit, later[0]))]
    return [*ordered[:effect], *causes, *(hit for hit in later if hit not in causes)]


def _failed_before(log: _Log, hit: _Hit, refused: _Hit) -> bool:
    """Whether the hit is another service's error, printed before the refusal."""
    return (log.runners is not None and hit.index < refused.index
            and hit.finding.kind not in _EFFECTS
            and log.runners[hit.index] != log.runners[refused.index])


def _look_around(log: _Log, hit: _Hit) -> Finding:
    subject = hit.rule.nearby(log.place(hit.index)) if hit.rule.nearby else None
    if not subject:
        return hit.finding
    return replace(hit.finding, subject=subject, fix=hit.rule.advice(subject))


def _names(evidence: str, subject: str) -> bool:
    """Whether the line states the subject (a target's host and port may be apart)."""
    return all(part in evidence for part in _TARGET_PARTS.split(subject) if part)


def _order(hit: _Hit, tracebacks: Tracebacks) -> tuple[bool, bool, bool, int, int, int]:
    """A root cause comes first even from a line its program logs as a warning (supervisord
    says WARN of a server that exited 0, whose next starts then fail to bind); a line that
    only says a process ended comes after the errors that say why."""
    unit = tracebacks.unit_at(hit.index)
    warning = hit.warning and not hit.rule.root
    if unit is None:
        return (warning, hit.rule.ended, not hit.rule.root, -hit.index, 0, 0)
    return (warning, hit.rule.ended, not hit.rule.root, -unit.chain_end, unit.depth, hit.index)
