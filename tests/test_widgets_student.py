"""The student's own function inside every explorer (right, wrong, raising), the presets, and the
settings printed as one line of Python that rebuilds the explorer; headless."""

import functools
import html
import time

import ipywidgets
import numpy as np
import pytest

import helpers
import helpers.widgets
from helpers.widgets import (
    _base,
    optimizer as optimizer_module,
    dropout_explorer,
    ewma_explorer,
    initialization_explorer,
    optimizer_explorer,
    perceptron_explorer,
)
from helpers.widgets._base import GridSlider, slider_values
from helpers.widgets.dropout import MASKS
from tests.support import explorers


def not_done(*args, **kwargs):
    raise NotImplementedError("write your code here")


def assert_red(status, *fragments):
    """The status shows the problem in red, with each fragment (what a student acts on)."""
    assert "color:#b00" in status
    status = html.unescape(status)
    for fragment in fragments:
        assert fragment in status, (fragment, status)


# --------------------------------------------------------------------------- perceptron


def test_perceptron_with_the_students_activation():
    good = perceptron_explorer(student_activation=helpers.sigmoid, activation="yours")
    assert "equals the reference sigmoid" in good.status.value
    reference = perceptron_explorer()
    np.testing.assert_allclose(good.output, reference.output)
    np.testing.assert_allclose(good.student_curve.get_ydata(), helpers.sigmoid(good.z_axis))

    def sigmoid(z):  # the sign slip: 1 / (1 + e^z)
        return 1 / (1 + np.exp(np.asarray(z, dtype=float)))

    wrong = perceptron_explorer(student_activation=sigmoid, activation="yours")
    assert_red(wrong.status.value, "your sigmoid(z) is not correct", "first difference at z = -10",
               "expected 4.53979e-05")
    # the menu's "yours" colours the plane with the student's function, wrong or not
    z = helpers.perceptron_forward(wrong.grid, 1.0, np.array([3.0, -2.0]), "linear")
    np.testing.assert_allclose(wrong.output, sigmoid(z))
    np.testing.assert_allclose(wrong.point_output, sigmoid(-6.0))

    crashed = perceptron_explorer(student_activation=not_done, activation="yours")
    assert_red(crashed.status.value, "your not_done raised NotImplementedError: write your code here")
    np.testing.assert_allclose(crashed.output, reference.output)  # keeps working with the reference
    crashed.controls["w0"].value = -1.0
    assert crashed.figure.canvas.draw() is None

    tanh = perceptron_explorer(student_activation=helpers.tanh)
    assert "equals the reference tanh" in tanh.status.value
    with pytest.raises(ValueError, match="student_activation must be a function"):
        perceptron_explorer(student_activation="sigmoid")
    with pytest.raises(ValueError, match="unknown activation 'yours'|activation"):
        perceptron_explorer(activation="yours")


# --------------------------------------------------------------------------- ewma


def test_ewma_with_the_students_ewma():
    good = ewma_explorer(student_ewma=helpers.ewma)
    assert "your ewma equals the reference" in good.status.value
    np.testing.assert_allclose(good.student_average, good.corrected)
    good.controls["bias_correction"].value = False
    np.testing.assert_allclose(good.student_average, good.average)
    np.testing.assert_allclose(good.lines["yours"].get_ydata(), good.average)

    def ewma(theta, beta=0.9, bias_correction=False):  # beta and 1 - beta swapped
        return helpers.ewma(theta, 1 - beta, bias_correction)

    wrong = ewma_explorer(student_ewma=ewma, bias_correction=False)
    expected = helpers.ewma(wrong.temperatures, 0.9)
    got = helpers.ewma(wrong.temperatures, 0.1)
    first = int(np.flatnonzero(~np.isclose(got, expected, rtol=1e-6, atol=1e-8))[0])
    assert_red(wrong.status.value, f"first difference on day {first + 1}", f"expected {expected[first]:.6g}")
    np.testing.assert_allclose(wrong.student_average, got)

    crashed = ewma_explorer(student_ewma=not_done)
    assert_red(crashed.status.value, "your ewma raised NotImplementedError")
    assert crashed.student_average is None and len(crashed.lines["yours"].get_xdata()) == 0
    crashed.controls["beta"].value = 0.95
    np.testing.assert_allclose(crashed.average, helpers.ewma(crashed.temperatures, 0.95))

    returns_none = ewma_explorer(student_ewma=lambda theta, beta, bias_correction=False: None)
    assert_red(returns_none.status.value, "is None", "return")


# --------------------------------------------------------------------------- dropout


def test_dropout_with_the_students_dropout_forward():
    good = dropout_explorer(student_dropout=helpers.dropout_forward)
    assert "your dropout_forward equals the reference" in good.status.value
    np.testing.assert_allclose(good.student_output, good.dropped)
    np.testing.assert_allclose(good.student_marks.get_ydata(), good.dropped[:, 0])

    def dropout_forward(A, keep_prob, D=None, rng=None):  # forgets to divide by keep_prob
        return A * D, D

    wrong = dropout_explorer(student_dropout=dropout_forward, keep_prob=0.5)
    assert_red(wrong.status.value, "is not correct", "first difference at unit", "A_out = A * D / keep_prob")
    np.testing.assert_allclose(wrong.student_output, np.repeat(wrong.activations, MASKS, axis=1) * wrong.masks)
    wrong.controls["mode"].value = "inference"
    assert "not called" in wrong.status.value and "color:#b00" not in wrong.status.value

    crashed = dropout_explorer(student_dropout=not_done)
    assert_red(crashed.status.value, "your dropout_forward raised NotImplementedError")
    crashed.controls["keep_prob"].value = 0.3
    assert crashed.masks.shape == (8, MASKS) and crashed.student_output is None


# --------------------------------------------------------------------------- initialization


def test_initialization_with_the_students_initializer():
    good = initialization_explorer(student_initializer=helpers.initialize_parameters_he, method="yours")
    assert "equals the reference He initialization" in good.status.value
    reference = initialization_explorer(method="He")
    for key in ("histograms", "A_std", "dW_norm"):
        np.testing.assert_allclose(good.statistics[key], reference.statistics[key])

    def initialize_parameters_he(layer_dims, seed=None):  # sqrt(2 / n[l]) instead of n[l-1]
        rng = np.random.default_rng(seed)
        parameters = {}
        for l in range(1, len(layer_dims)):
            parameters[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l])
            parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
        return parameters

    wrong = initialization_explorer(student_initializer=initialize_parameters_he, method="yours", width=16)
    assert_red(wrong.status.value, "['W1']", "is not correct", "sqrt(2 / n[l-1])")
    X, Y = helpers.widgets.initialization.network_inputs()
    stats = helpers.activation_statistics(X, initialize_parameters_he([32] + [16] * 6 + [1], seed=0), "relu", Y=Y)
    np.testing.assert_allclose(wrong.statistics["A_std"], np.sqrt(stats["A_variance"][:6]))

    def initialize_parameters_xavier(layer_dims, seed=None):
        return helpers.initialize_parameters_xavier(layer_dims, seed=seed)

    assert "reference Xavier" in initialization_explorer(student_initializer=initialize_parameters_xavier).status.value
    zeros = initialization_explorer(student_initializer=helpers.initialize_parameters_zeros)
    assert "reference zeros" in zeros.status.value  # called without a seed, which it does not take

    crashed = initialization_explorer(student_initializer=not_done, method="yours")
    assert_red(crashed.status.value, "raised NotImplementedError")
    for key in ("histograms", "A_std", "dW_norm"):  # the reference He is shown meanwhile
        np.testing.assert_allclose(crashed.statistics[key], reference.statistics[key])
    crashed.controls["depth"].value = 3
    assert crashed.statistics["A_std"].shape == (3,)


def test_optimizer_says_where_the_students_adam_departs():
    def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01):  # t - 1 in the correction
        return helpers.update_parameters_with_adam(parameters, grads, v, s, t + 1, learning_rate=learning_rate)

    wrong = optimizer_explorer(student_update=update_parameters_with_adam)
    first = wrong.runs["yours"].path[1]
    assert_red(wrong.status.value, "departs from the reference Adam at step 1",
               f"({first[0]:.6g}, {first[1]:.6g})")


def slow_adam(parameters, grads, v, s, t, learning_rate=0.01, broken_at=None):
    """The reference Adam at 2 ms a step (a student's slow code), raising at step ``broken_at``."""
    time.sleep(0.002)
    if t == broken_at:
        raise FloatingPointError(f"overflow at step {t}")
    return helpers.update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=learning_rate)


def shown_student_lengths(explorer, monkeypatch):
    """A list that fills with the length of the student's drawn path at each figure sent."""
    lengths, show = [], explorer.view.show
    monkeypatch.setattr(explorer.view, "show", lambda: (lengths.append(len(explorer.paths["yours"].get_xdata())),
                                                         show())[1])
    return lengths


def test_a_slow_students_adam_is_drawn_as_far_as_it_got_then_whole(monkeypatch):
    """The student's code does not hold the reference runs back: it runs in what they leave of
    SECONDS_BEFORE_THE_FIGURE (10 ms); 40 steps at 2 ms are drawn as far as they got by then,
    and whole in a second figure; the status line compares only the whole run."""
    explorer = optimizer_explorer(student_update=slow_adam, iterations=40)
    sent, lengths = messages_to_the_page(explorer), shown_student_lengths(explorer, monkeypatch)
    rate = explorer.controls["adam lr"]
    rate.set_state({"index": rate.index - 2})  # as the page sends a slider's new position
    assert len(lengths) == 2 and lengths[0] < 41 == lengths[1], lengths
    senders = [name for name, _ in sent]
    assert senders[:2] == ["figure", "figure"] and "figure" not in senders[2:], senders
    np.testing.assert_array_equal(explorer.runs["yours"].path, explorer.runs["adam"].path)
    assert "your Adam follows the reference Adam step for step" in explorer.status.value


def test_a_slow_students_adam_that_raises_after_the_first_figure_shows_the_error_and_no_line(monkeypatch):
    explorer = optimizer_explorer(student_update=functools.partial(slow_adam, broken_at=30), iterations=40)
    assert_red(explorer.status.value, "your update raised FloatingPointError: overflow at step 30")
    assert len(explorer.paths["yours"].get_xdata()) == 0  # as when it raises before the figure
    lengths = shown_student_lengths(explorer, monkeypatch)
    explorer.controls["adam decay"].value = 0.05
    assert lengths[-1] == 0 and "overflow at step 30" in explorer.status.value, lengths


def test_a_students_run_that_would_end_soon_after_its_time_is_finished_before_the_figure():
    """A second figure costs a recording: at the deadline, a run whose remaining steps take at
    most ``finish_within`` more at the pace so far is finished; a longer one stops there."""
    from helpers.widgets.landscapes import LANDSCAPES

    def run(finish_within):
        runner = optimizer_module._Runner(LANDSCAPES["convex bowl"], (1.0, 1.0), 0.1, update=slow_adam)
        path = runner.run(20, deadline=time.perf_counter() + 0.005, finish_within=finish_within).path
        return runner.finished(20), len(path)

    assert run(finish_within=1.0) == (True, 21)  # 20 steps of 2 ms: the rest well within 1 s
    finished, length = run(finish_within=0.0)
    assert not finished and length < 21


def test_a_students_adam_within_the_time_is_drawn_whole_in_one_figure(monkeypatch):
    monkeypatch.setattr(optimizer_module, "SECONDS_BEFORE_THE_FIGURE", 60.0)
    explorer = optimizer_explorer(student_update=slow_adam, iterations=40)
    lengths = shown_student_lengths(explorer, monkeypatch)
    explorer.controls["adam lr"].value = 0.1
    assert lengths == [41]


# --------------------------------------------------------------------------- presets and settings as code


#: Every explorer as the notebooks build it (the registry), the course's reference as the student's function.
BUILDERS = [functools.partial(explorers.build, name) for name in helpers.widgets.EXPLORERS]


def control_values(explorer):
    return {name: control.value for name, control in explorer.controls.items()
            if not isinstance(control, ipywidgets.Button)}


@pytest.mark.parametrize("build", BUILDERS)
def test_every_preset_sets_its_values_in_one_redraw(build):
    explorer = build()
    presets = {name: control for name, control in explorer.controls.items() if name.startswith("preset ")}
    assert presets, "an explorer without the lesson's settings one click away"
    refreshes = []
    original = explorer.refresh
    explorer.refresh = lambda: (refreshes.append(1), original())[1]
    for name, button in presets.items():
        refreshes.clear()
        button.click()
        assert len(refreshes) == 1, f"{name}: {len(refreshes)} redraws"
        for control, value in explorer.presets[name[len("preset "):]].items():
            assert explorer.controls[control].value == pytest.approx(value), (name, control)



def messages_to_the_page(explorer):
    """A list that fills with (widget name, state keys) for each state message the explorer's
    controls, status line and figure send (the widgets' comms, listened to)."""
    sent = []
    named = {**explorer.controls, "status": explorer.status, "figure": explorer.view}
    for name, widget in named.items():
        def listened(data=None, metadata=None, buffers=None, name=name, send=widget.comm.send):
            if data.get("method") == "update":
                sent.append((name, sorted(data["state"])))
            return send(data=data, metadata=metadata, buffers=buffers)
        widget.comm.send = listened
    return sent


@pytest.mark.parametrize("build", BUILDERS)
def test_a_preset_sends_the_figure_first_then_each_changed_control_once(build):
    """While the page updates a control it takes CPU from the kernel that computes the figure:
    the figure leaves first, then each control that changed, in one message with its new value."""
    explorer = build()
    sent = messages_to_the_page(explorer)
    presets = [name for name in explorer.controls if name.startswith("preset ")]
    for name, other in zip(presets, presets[1:] + presets[:1]):
        explorer.controls[other].click()
        before = control_values(explorer)
        sent.clear()
        explorer.controls[name].click()
        changed = {control for control, value in control_values(explorer).items() if value != before[control]}
        assert changed, f"{name} changed nothing after {other}"
        assert sent[0] == ("figure", ["frame", "frames"]), (name, sent)
        # a second figure when the student's code took longer than its time before the first
        senders = [sender for sender, _keys in sent[1:]]
        senders = senders[1:] if senders[:1] == ["figure"] else senders
        assert "figure" not in senders, (name, sent)
        assert sorted(sender for sender in senders if sender != "status") == sorted(changed), (name, sent)


def test_a_landscape_a_click_and_a_slider_send_the_figure_before_the_controls():
    explorer = optimizer_explorer()
    sent = messages_to_the_page(explorer)
    landscape = explorer.controls["landscape"]
    landscape.set_state({"index": landscape.options.index("saddle")})  # as the page sends a choice
    assert sent[0][0] == "figure" and {"w1", "w2", "gd lr", "adam lr"} <= {name for name, _ in sent[1:]}, sent
    assert [name for name, _ in sent].count("w1") == 1
    sent.clear()
    explorer.set_start(0.5, -0.5)  # what a click on the contour plot does
    assert sent[0][0] == "figure" and sorted(name for name, _ in sent[1:]) == ["w1", "w2"], sent
    sent.clear()
    explorer.controls["adam lr"].set_state({"index": 3})  # as the page sends a slider's new position
    assert sent[0][0] == "figure" and "figure" not in [name for name, _ in sent[1:]], sent
    # (a student's Adam slower than its time before the figure adds a second figure, also first:
    # test_a_slow_students_adam_is_drawn_as_far_as_it_got_then_whole)

@pytest.mark.parametrize("build", BUILDERS)
def test_settings_code_rebuilds_the_explorer_as_it_is(build):
    explorer = build()
    for name, control in explorer.controls.items():  # move every control somewhere else
        if isinstance(control, ipywidgets.Button):
            continue
        values = list(_base.exercise(control))
        if len(values) > 2:
            control.value = values[len(values) // 3]
        elif isinstance(control, ipywidgets.Checkbox):
            control.value = not control.value
    if "new mask" in explorer.controls:
        explorer.controls["new mask"].click()
    line = explorer.show_code()
    assert "\n" not in line and line in explorer.code.value.replace("&#x27;", "'")
    namespace = {**vars(helpers.widgets), **vars(helpers)}  # helpers.ewma, not the module helpers.widgets.ewma
    if "temperatures" in line:
        namespace["temperatures"] = explorer.temperatures
    twin = eval(line, namespace)
    for name, value in control_values(explorer).items():
        assert twin.controls[name].value == (pytest.approx(value) if isinstance(value, float) else value), name
    # the same figure data (a new explorer lays its axes out anew, so pixels may shift)
    for ax, twin_ax in zip(explorer.figure.axes, twin.figure.axes, strict=True):
        assert twin_ax.get_title() == ax.get_title()
        for artist, twin_artist in zip(ax.lines, twin_ax.lines, strict=True):
            assert twin_artist.get_visible() == artist.get_visible()
            if artist.get_visible():
                    np.testing.assert_allclose(np.asarray(twin_artist.get_xydata(), dtype=float),
                                           np.asarray(artist.get_xydata(), dtype=float))
        for artist, twin_artist in zip(ax.texts, twin_ax.texts, strict=True):
            assert twin_artist.get_text() == artist.get_text()
    assert twin.status.value == explorer.status.value


def test_settings_code_names_the_notebooks_temperatures_and_functions():
    explorer = ewma_explorer(np.arange(30.0), beta=0.97, student_ewma=helpers.ewma)
    assert explorer.settings_code() == ("ewma_explorer(temperatures=temperatures, beta=0.97, bias_correction=True, "
                                        "student_ewma=ewma)")
    explorer.controls["beta"].value = 0.1 + 0.2 + 0.6  # 0.9000000000000001 reads 0.9
    assert "beta=0.9," in explorer.settings_code()


# --------------------------------------------------------------------------- whole pictures to the page


@pytest.mark.parametrize("build", BUILDERS)
def test_every_frame_sent_to_the_page_is_a_whole_picture(build):
    """Each frame holds every drawing call of the figure, never a difference from the last one:
    a frame lost or overtaken in a burst is simply replaced by the next."""
    explorer = build()
    first = explorer.view.frame
    kinds = sorted(op["op"] for op in first["ops"])
    texts = {op["s"] for op in first["ops"] if op["op"] == "text"}
    slider = next(c for c in explorer.controls.values() if isinstance(c, (GridSlider, ipywidgets.IntSlider)))
    slider.value = next(value for value in slider_values(slider) if value != slider.value)
    frame = explorer.view.frame
    assert frame["n"] == first["n"] + 1
    assert {"path", "text"} <= set(kinds) and set(op["op"] for op in frame["ops"]) == set(kinds)
    titles = {line for ax in explorer.figure.axes for line in ax.get_title().split("\n") if line}
    assert titles <= {op["s"] for op in frame["ops"] if op["op"] == "text"}
    assert {ax.get_xlabel() for ax in explorer.figure.axes if ax.get_xlabel()} <= texts
