"""The checker's channel to a real kernel (nbcourse.remote, nbcourse.kernel_servant): requests
travel on the servant's comm, a function the test lends is called back over stdin, and the
student's code cannot make a request wait or answer one with anything but values."""
import numpy as np
import pytest
from jupyter_client.manager import start_new_kernel

from nbcourse.preprocessors.checked_execute import _SERVANT_SOURCES
from nbcourse.remote import KernelChannel, StudentError

pytestmark = pytest.mark.xdist_group("remote-kernel")  # one kernel, tests in this order

STUDENT_CODE = '''
import numpy as np
def double(x):
    return 2 * np.asarray(x)
def apply(f, x):
    return f(x) + 1
def asks():
    return input("your name? ")
'''


@pytest.fixture(scope="module")
def channel():
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        channel = KernelChannel(client, is_alive=lambda: True, on_stream=lambda name, text: None)
        channel.handshake()
        channel.install(*_SERVANT_SOURCES)
        client.execute_interactive(STUDENT_CODE, timeout=60)
        yield channel
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def no_cells(code, *, expect_reply):
    raise AssertionError(f"a request went as a cell: {code[:80]}")


def test_requests_travel_on_the_servants_comm_not_as_cells(channel, monkeypatch):
    monkeypatch.setattr(channel, "_execute", no_cells)
    double = channel.names(["double", "not_defined"])["double"]
    assert channel.names(["not_defined"]) == {}
    np.testing.assert_array_equal(double(np.arange(3.0)), [0.0, 2.0, 4.0])
    with pytest.raises(StudentError) as raised:
        double("a", "b")
    assert raised.value.ename == "TypeError" and isinstance(raised.value, TypeError)


def test_a_lent_function_is_called_back_from_the_students_code(channel):
    apply = channel.names(["apply"])["apply"]
    calls = []

    def tests_own(x):
        calls.append(x)
        return np.asarray(x) * 10

    assert apply(tests_own, 4.0) == 41.0 and calls == [4.0]
    channel.callbacks.clear()  # as the checker does after each test cell


def test_input_in_the_students_code_fails_at_once_instead_of_waiting(channel):
    asks = channel.names(["asks"])["asks"]
    with pytest.raises(StudentError, match="input\\(\\) is not available"):
        asks()


def test_replacing_the_servant_by_name_does_not_reroute_the_comm(channel):
    channel.client.execute_interactive("__nbcourse_servant__ = None", timeout=60)
    double = channel.names(["double"])["double"]
    np.testing.assert_array_equal(double([1.0]), [2.0])
