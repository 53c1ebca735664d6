"""The kernel's WebSocket with Nagle's algorithm off: each message leaves when it is written.

A Jupyter server relays every kernel message to the browser over one WebSocket, and
jupyter_server (2.21) leaves TCP's Nagle algorithm on for it. Nagle holds a small write
back until the browser has acknowledged the one before, and the browser's side delays its
acknowledgements (40 ms on Linux). A kernel answers a change with several messages in a row
(busy, the widget's update, idle): all but the first can wait those 40 ms. Measured on
127.0.0.1 with a WebSocket client sending ``pass`` to a kernel through JupyterLab, median
of 40: "idle" came 48.0 ms after the request, 7.0 ms with Nagle off; "busy" 4.9 and 4.0 ms.
During a drag on an explorer's slider the next frame's last packet can wait the same way.

tornado's documented remedy is ``set_nodelay(True)`` on the handler once the connection is
open; jupyter_server picks its connection class from the public setting
``ServerApp.kernel_websocket_connection_class``. Every Jupyter server the course starts
uses :data:`SERVER_OPTION`: the students' servers on the hub, the formgrader service,
``make lab`` and the browser tests.
"""
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection


class NoDelayKernelWebsocketConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel WebSocket connection, with TCP_NODELAY set as it opens."""

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()


#: The setting's value, and the setting as a command-line option of ``jupyter lab`` or
#: ``jupyterhub-singleuser``.
CONNECTION_CLASS = f"{__name__}.{NoDelayKernelWebsocketConnection.__name__}"
SERVER_OPTION = f"--ServerApp.kernel_websocket_connection_class={CONNECTION_CLASS}"
