"""The HTTP/1.1 protocol the server speaks: uvicorn's httptools parser, with a bound on the
request head.

httptools (llhttp, in C) parses a request for a fraction of the CPU h11 (pure Python) takes,
and the read path is bound by CPU; but it keeps a header of any size in memory until it is
whole. This protocol counts the bytes of a request's head as they arrive and, past
MAX_REQUEST_HEAD, answers 400 and closes the connection, as h11 does with its own bound: a
caller can make the server hold at most one read of the socket beyond the bound. A head that
arrives whole in one read is measured once parsed, and refused the same way.
"""

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_REQUEST_HEAD = 16 * 1024  # the request line and every header, in bytes


class HeadTooLarge(Exception):
    """The request's head is over MAX_REQUEST_HEAD."""


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, refusing a request head over MAX_REQUEST_HEAD."""

    head_bytes = 0
    in_head = True  # until a request's headers are complete: a new connection starts in one

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.in_head, self.head_bytes = True, 0

    def on_headers_complete(self) -> None:
        self.in_head = False
        size = len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers)
        if size > MAX_REQUEST_HEAD:
            # raised inside the parser, this stops it: uvicorn answers 400 and closes
            raise HeadTooLarge(size)
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        if self.in_head:
            self.head_bytes += len(data)
        super().data_received(data)
        # a read that completed the head (its body behind it) is not held against it
        if self.in_head and self.head_bytes > MAX_REQUEST_HEAD and not self.transport.is_closing():
            self.send_400_response("Request head too large.")
