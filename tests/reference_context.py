"""The reference reader: spaCy's blank English tokenizer, a sentencizer, and
medspaCy's ConText with Unknot's lay-language rules from ``context.yaml``.

This was the reader until the spaCy-free one (``unknot.intake.tokens`` and
``unknot.intake.context``) replaced it: spaCy's import alone took longer than
the whole start-up Unknot aims for, and its per-text cost capped throughput.
It stays here, for the tests only, as the oracle the new reader is checked
against (tests/test_reader_matches_medspacy.py). spaCy and medspaCy are dev
dependencies. No model is downloaded: ``spacy.blank`` has only rule-based
tokenization. Nothing is logged: medspaCy's and PyRuSH's loguru loggers are
disabled, and the text is never passed to a logger.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import types
import warnings
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from unknot.intake.lexicon import ContextRuleSpec, Lexicon, ListScope, load_lexicon

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

SPAN_GROUP = "unknot_mentions"
SENTENCE_ENDS = [".", "!", "?", ";", "\n", "\n\n", "…"]


@dataclass(frozen=True)
class Pipeline:
    nlp: Language
    sentencizer: Any
    context: Any

    def parse(self, text: str) -> Doc:
        """Tokens and sentences (no ConText yet)."""
        doc = self.nlp.make_doc(text)
        result: Doc = self.sentencizer(doc)
        return result

    def apply_context(self, doc: Doc, spans: list[Span]) -> None:
        """Attach ConText modifiers to each mention span (``span._.modifiers``)."""
        doc.spans[SPAN_GROUP] = spans
        self.context(doc)


def silence_logs() -> None:
    """medspaCy's sentence splitter (PyRuSH) logs every token at debug level: switch it off."""
    try:
        from loguru import logger
    except ImportError:  # pragma: no cover - loguru comes with PyRuSH
        return
    for name in ("PyRuSH", "medspacy", "quickumls"):
        logger.disable(name)


def _another_or(doc: Doc, start: int, breaks: set[str]) -> bool:
    """The list item from ``start`` has an "or" of its own (a list of pairs goes on)."""
    for tok in doc[start:start + 8]:
        if tok.lower_ in ("or", "nor"):
            return True
        if tok.lower_ in breaks or tok.lower_ in (".", "!", "?", ";", ":"):
            return False
    return False


def _within_list(scope: ListScope) -> Any:
    """A negation may run on through a list ("no numbness, tingling or
    weakness") but not into a new clause ("no fever, legs numb")."""
    breaks = set(scope.breaks)
    connectors = set(scope.connectors)

    def check(target: Span, between: Span) -> bool:
        starts = target.doc.user_data.get("unknot_open_starts", set())
        tokens = list(between)
        closed = False  # an "or" closes the list: "no fall or injury, pins and needles"
        for i, tok in enumerate(tokens):
            if tok.lower_ in ("or", "nor"):
                closed = True
            if tok.lower_ not in breaks:
                continue
            if closed and not _another_or(target.doc, tok.i + 1, breaks):
                return False
            j = i + 1
            while j < len(tokens) and tokens[j].lower_ in connectors:
                j += 1
            nxt = tokens[j].i if j < len(tokens) else between.end
            if nxt not in starts:
                return False
        return True

    return check


def _on_modifies(spec: ContextRuleSpec, scope: ListScope) -> Any:
    """The ``on_modifies`` callback for a rule: how far it reaches, and lists.

    The reach (``max_scope`` in the lexicon) is checked here rather than
    given to medspaCy as its own ``max_scope``, so that terminating words
    ("but", "and now") still cut a rule's scope short.
    """
    in_list = _within_list(scope) if spec.lists else None
    reach = spec.max_scope
    if in_list is None and reach is None:
        return None

    def on_modifies(target: Span, modifier: Span, between: Span) -> bool:
        if reach is not None:
            gap = (modifier.start - target.end if target.end <= modifier.start
                   else target.start - modifier.end)
            if gap > reach:
                return False
        return in_list is None or in_list(target, between)

    return on_modifies


def _hollow_package(name: str) -> types.ModuleType | None:
    """An empty stand-in for package ``name`` whose submodules still import.

    The stand-in has the real package's path, so ``import name.sub`` loads the
    real submodule, but the package's own ``__init__`` (and all it imports) is
    not run. None when the package is already imported or cannot be found.
    """
    if name in sys.modules:
        return None
    parent, _, _ = name.rpartition(".")
    if parent:  # find the subpackage without importing its parent
        outer = importlib.util.find_spec(parent)
        where = outer.submodule_search_locations if outer else None
        spec = importlib.machinery.PathFinder.find_spec(name, where) if where else None
    else:
        spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    package = types.ModuleType(name)
    package.__spec__ = spec
    package.__path__ = list(spec.submodule_search_locations)
    package.__file__ = spec.origin
    package.__package__ = name
    return package


def _spacy_info_placeholder() -> dict[str, types.ModuleType]:
    """Stand-ins for ``spacy.cli`` and ``spacy.cli.info`` while spaCy is imported.

    ``spacy/__init__`` imports ``spacy.cli.info`` only to offer ``spacy.info``;
    that loads every spaCy command (Typer, downloads, training): about a third
    of spaCy's import time, for nothing Unknot uses. The stand-in's ``info``
    imports the real one when called.
    """
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return {}
    cli = _hollow_package("spacy.cli")
    if cli is None:
        return {}
    info_module = types.ModuleType("spacy.cli.info")

    def info(*args: Any, **kwargs: Any) -> Any:  # pragma: no cover - spaCy's own command
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    info_module.info = info  # type: ignore[attr-defined]
    cli.info = info_module  # type: ignore[attr-defined]
    return {"spacy.cli": cli, "spacy.cli.info": info_module}


def import_context() -> types.ModuleType:
    """``medspacy.context``, importing only what ConText needs.

    ``import medspacy`` registers every medspaCy component: PyRuSH (which
    imports ``spacy.cli`` and all spaCy's commands), pysbd, QuickUMLS (which
    loads NLTK), the section detector, the visualiser. Unknot uses ConText
    alone, so medspaCy's package ``__init__`` is not run: a hollow stand-in
    lets ``medspacy.context`` and the few modules it needs load on their own,
    and QuickUMLS (imported by ``medspacy.util`` at module level, never used
    here) gets a placeholder. Every stand-in is removed again afterwards, so a
    later ``import medspacy``, ``import spacy.cli`` or ``import quickumls``
    gets the real package.
    """
    if "medspacy.context" in sys.modules:
        return sys.modules["medspacy.context"]
    placeholders: dict[str, types.ModuleType] = {}
    if "quickumls" not in sys.modules:
        package = types.ModuleType("quickumls")
        component = types.ModuleType("quickumls.spacy_component")
        package.spacy_component = component  # type: ignore[attr-defined]
        placeholders |= {"quickumls": package, "quickumls.spacy_component": component}
    placeholders |= _spacy_info_placeholder()
    sys.modules.update(placeholders)
    try:
        with warnings.catch_warnings():  # spaCy's own import-time deprecation notices
            warnings.simplefilter("ignore", DeprecationWarning)
            import spacy  # noqa: F401

            hollow = _hollow_package("medspacy")
            if hollow is not None:
                placeholders["medspacy"] = hollow
                sys.modules["medspacy"] = hollow
            import medspacy.context  # noqa: F401
            from medspacy._extensions import set_extensions

            set_extensions()  # the Doc/Span/Token attributes medspaCy's __init__ would set
    finally:
        for name, module in placeholders.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    loaded: types.ModuleType = sys.modules["medspacy.context"]
    return loaded


def context_rules(lex: Lexicon) -> list[Any]:
    """Unknot's ConText rules as medspaCy ``ConTextRule`` objects."""
    ConTextRule = import_context().ConTextRule  # noqa: N806

    rules = []
    for spec in lex.context:
        common: dict[str, Any] = {
            "category": spec.category,
            "direction": spec.direction,
            "terminated_by": set(spec.terminated_by) or None,
            "on_modifies": _on_modifies(spec, lex.list_scope),
            "metadata": {"id": spec.id},
        }
        for phrase in spec.phrases:
            rules.append(ConTextRule(literal=phrase, **common))
        for n, tokens in enumerate(spec.tokens):
            rules.append(ConTextRule(literal=f"{spec.id}#{n}", pattern=tokens, **common))
    return rules


@cache
def load_pipeline() -> Pipeline:
    """Build the pipeline once per process (the slow part of the first read)."""
    silence_logs()
    ConText = import_context().ConText  # noqa: N806
    import spacy

    lex = load_lexicon()
    # spaCy loads every installed package's pipeline factories (entry points)
    # when a Language is made; Unknot uses only its own sentencizer and ConText,
    # so other packages' factories (pysbd's, for one) are not imported.
    factories = spacy.util.registry._entry_point_factories
    entry_points = factories.entry_points
    factories.entry_points = False
    try:
        nlp = spacy.blank("en")  # rule-based tokenizer only: no model to download
    finally:
        factories.entry_points = entry_points
    sentencizer = nlp.add_pipe("sentencizer", config={"punct_chars": SENTENCE_ENDS})
    context = ConText(
        nlp,
        rules=None,
        span_attrs=None,
        input_span_type="group",
        span_group_name=SPAN_GROUP,
    )
    context.add(context_rules(lex))
    return Pipeline(nlp=nlp, sentencizer=sentencizer, context=context)


class MedspacyReader:
    """The reference as an ``unknot.intake.extract.Reader``."""

    def parse(self, text: str) -> Doc:
        return load_pipeline().parse(text)

    def span(self, doc: Doc, start: int, end: int, label: str) -> Span | None:
        return doc.char_span(start, end, label=label, alignment_mode="expand")

    def modifiers(
        self, doc: Doc, spans: list[Span], lex: Lexicon
    ) -> list[list[tuple[str, int, int]]]:
        openers = set(lex.list_scope.clause_openers)
        doc.user_data["unknot_open_starts"] = {
            s.start for s in spans if s[0].lower_ not in openers
        }
        load_pipeline().apply_context(doc, spans)
        return [
            [(m.category, *m.modifier_span) for m in span._.modifiers] for span in spans
        ]
