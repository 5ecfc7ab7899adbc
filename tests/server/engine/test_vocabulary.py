"""The prompt: the session's words first, cut at a phrase boundary, within what Whisper reads."""

from __future__ import annotations

import random

import pytest
from faster_whisper.tokenizer import Tokenizer

from dictation_daemon.server.engine import WhisperRecognizer
from dictation_daemon.server.engine.vocabulary import (
    PROMPT_TOKENS,
    echoed_phrase,
    fitting,
    hotwords,
    session_vocabulary,
)
from dictation_daemon.server.lexicon import load_medical_lexicon

from .streaming import english


def test_the_prompt_is_cut_at_a_phrase_boundary() -> None:
    prompt = hotwords([f"phrase{index:03d} words" for index in range(200)], lambda text: len(text.split()))
    assert prompt is not None
    assert len(prompt.split()) == PROMPT_TOKENS - 1  # whole phrases of two words each
    assert prompt.startswith("phrase000 words phrase001 words") and prompt.endswith(" words")


def test_the_phrases_in_the_prompt_are_the_ones_that_fit_whole() -> None:
    phrases = ["period", "search for", *(f"keyterm{index}" for index in range(300))]
    kept = fitting(phrases, lambda text: len(text.split()))
    assert kept == phrases[:len(kept)] and len(" ".join(kept).split()) <= PROMPT_TOKENS
    assert hotwords(phrases, lambda text: len(text.split())) == " ".join(kept)
    # The echo is looked for at the end of the prompt as cut, not of every phrase the session has.
    assert echoed_phrase(f"lab results {kept[-1]}", kept) == kept[-1]


def test_words_ending_with_the_prompts_last_phrase_are_suspected_of_echoing_it() -> None:
    phrases = ["period", "stop dictation", "search for"]
    assert echoed_phrase("search for lab results search for", phrases) == "search for"
    assert echoed_phrase("Search for lab results. Search for.", phrases) == "search for"


def test_other_endings_and_the_phrase_alone_are_not_suspected() -> None:
    phrases = ["period", "search for"]
    assert echoed_phrase("search for lab results", phrases) is None
    assert echoed_phrase("search for", phrases) is None  # said on its own, it is the command
    assert echoed_phrase("what to look for", phrases) is None
    assert echoed_phrase("anything at all", []) is None


def test_no_phrases_give_no_prompt() -> None:
    assert hotwords([], len) is None


@pytest.mark.engine
def test_a_session_and_its_candidate_terms_fill_what_whisper_reads_and_no_more(
    recognizer: WhisperRecognizer,
) -> None:
    """Counted by the model's own tokenizer as faster-whisper encodes the prompt: nothing past what it
    reads, and no more than one term's room left unused."""
    tokenizer = Tokenizer(recognizer.shared.model.hf_tokenizer, False, task="transcribe", language="en")
    terms = load_medical_lexicon().terms
    session = session_vocabulary(english(punctuation_mode="spoken"))
    for seed in range(5):
        prompt = hotwords([*session, *random.Random(seed).sample(terms, 200)], recognizer.shared.token_count)
        assert prompt is not None and prompt.startswith(" ".join(session))
        assert PROMPT_TOKENS - 12 <= len(tokenizer.encode(" " + prompt)) <= PROMPT_TOKENS
