"""The callback-data codec: what the bot encodes decodes back; anything else is refused."""

from __future__ import annotations

import pytest

from bot.channels.telegram.callbacks import Action, Callback, decode


@pytest.mark.parametrize(
    "callback",
    [
        Callback(Action.PERSONA, "chatty_expert"),
        Callback(Action.BEGIN, "sceptic"),
        Callback(Action.LIST),
        Callback(Action.REMIND, "12345"),
        Callback(Action.REMIND, "no"),
        Callback(Action.FORGET, "yes"),
        Callback(Action.FORGET, "no.en"),
        Callback(Action.LANG, "en"),
        Callback(Action.KEEP),
        Callback(Action.SWITCH, "12.sceptic"),
        Callback(Action.SWITCH, "12."),
        Callback(Action.SWITCH, "9" * 15 + "." + "x" * 41),
        Callback(Action.AFTER, "skip.notes.7"),
        Callback(Action.AFTER, "done.thanks.7"),
        Callback(Action.CONTROL, "clock.7"),
        Callback(Action.CONTROL, "sure." + "9" * 18),
        Callback(Action.CONTROL, "undo." + "9" * 18 + ".999999"),
    ],
)
def test_round_trip(callback):
    assert decode(callback.encode()) == callback


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "garbage",
        "remind:²",
        "remind:" + "9" * 23,
        "remind:-1",
        "remind:",
        "forget:maybe",
        "lang:de",
        "list:x",
        "persona:",
        "persona:" + "x" * 60,
        "persona:Robert'); DROP",
        "unknown:1",
        "forget:yes.de",
        "forget:yes.",
        "keep:1",
        "switch:sceptic",
        "switch:1.Sceptic",
        "switch:x.sceptic",
        "after:skip.notes",
        "after:skip.draft.1",
        "after:later.notes.1",
        "ctl:end",
        "ctl:end.x1",
        "ctl:undo.1",
        "ctl:undo.1.1234567",
        "ctl:clock.1.2",
        "ctl:explode.1",
    ],
)
def test_malformed_data_is_refused(data):
    assert decode(data) is None


def test_the_meeting_id_is_an_int_only_for_a_reminder():
    assert decode("remind:42").meeting_id == 42
    assert decode("remind:no").meeting_id is None
    assert decode("begin:sceptic").meeting_id is None
    assert decode("switch:12.sceptic").meeting_id == 12
    assert decode("after:skip.notes.7").meeting_id == 7
    assert decode("ctl:hints.9").meeting_id == 9
    assert decode("ctl:undo.9.3").meeting_id == 9


def test_a_button_the_codec_would_refuse_cannot_be_built():
    with pytest.raises(ValueError):
        Callback(Action.REMIND, "²").encode()
