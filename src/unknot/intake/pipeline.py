"""The language pipeline: spaCy's blank English tokenizer, a sentencizer, and
medspaCy's ConText with Unknot's lay-language rules from ``lexicon.yaml``.

Everything here is imported lazily (only when text is read), so commands that
do not read text never pay for spaCy. No model is downloaded: ``spacy.blank``
has only rule-based tokenization. Nothing is logged: medspaCy's and PyRuSH's
loguru loggers are disabled, and the text is never passed to a logger.
"""

from __future__ import annotations

import sys
import types
import warnings
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from .lexicon import ContextRuleSpec, Lexicon, ListScope, load_lexicon

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


def _within_list(scope: ListScope) -> Any:
    """A negation may run on through a list ("no numbness, tingling or
    weakness") but not into a new clause ("no fever, legs numb")."""
    breaks = set(scope.breaks)
    connectors = set(scope.connectors)

    def check(target: Span, between: Span) -> bool:
        starts = target.doc.user_data.get("unknot_open_starts", set())
        tokens = list(between)
        for i, tok in enumerate(tokens):
            if tok.lower_ not in breaks:
                continue
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


def import_context() -> types.ModuleType:
    """``medspacy.context``, without loading QuickUMLS.

    Importing any part of medspaCy registers all its components, QuickUMLS
    (UMLS concept matching) among them, which loads NLTK: a quarter of a
    second of start-up for a component Unknot never uses. While medspaCy is
    imported, a placeholder stands in for QuickUMLS; it is removed again, so
    a later ``import quickumls`` gets the real package.
    """
    if "medspacy.context" in sys.modules:
        return sys.modules["medspacy.context"]
    placeholders = {}
    if "quickumls" not in sys.modules:
        package = types.ModuleType("quickumls")
        component = types.ModuleType("quickumls.spacy_component")
        package.spacy_component = component  # type: ignore[attr-defined]
        placeholders = {"quickumls": package, "quickumls.spacy_component": component}
    sys.modules.update(placeholders)
    try:
        with warnings.catch_warnings():  # spaCy's own import-time deprecation notices
            warnings.simplefilter("ignore", DeprecationWarning)
            import medspacy.context  # noqa: F401
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
    nlp = spacy.blank("en")  # rule-based tokenizer only: no model to download
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
