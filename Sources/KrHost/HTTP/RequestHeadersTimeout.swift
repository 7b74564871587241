import NIOCore
import NIOHTTPTypes

/// Kestrel's `RequestHeadersTimeout` on Hummingbird's HTTP/1 channel: the time a client has to send a
/// request's whole header block. It runs from the moment the connection opens (a client that connects
/// and sends nothing is closed) and, on a kept-alive connection, from the first byte of each next
/// request (the wait between requests is `KeepAliveTimeout`'s). When it expires with part of a head
/// received, the client gets `408 Request Timeout` and the connection closes, as with Kestrel; with
/// nothing received the connection just closes. This is what stops a slow-headers (slowloris) client
/// from holding a connection for the whole keep-alive time.
///
/// Two handlers share one `HeaderDeadline`: `HeadWatcher` sits after the HTTP codec and sees request
/// heads and ends; it installs `FirstByteWatcher` at the front of the pipeline, which sees raw
/// bytes (and so the start of a request the codec has not decoded yet) and writes the 408 past the
/// encoder. Both run on the connection's event loop, so the deadline needs no lock.
enum RequestHeadersTimeout {
    /// The handlers for one connection (Hummingbird's `additionalChannelHandlers`).
    static func handlers(seconds: Double) -> [any RemovableChannelHandler] {
        [HeadWatcher(HeaderDeadline(timeout: .nanoseconds(Int64(seconds * 1_000_000_000))))]
    }
}

/// The state of one connection's header clock. Arming and disarming only move `deadline`: the one
/// scheduled task, when it fires, either finds the head late, or no head awaited (it stops; the next
/// request's first byte schedules again), or a later deadline (it reschedules itself). A busy
/// kept-alive connection so schedules about one task per timeout instead of one per request.
private final class HeaderDeadline {
    let timeout: TimeAmount
    /// True until a head is decoded, and again once its response has ended.
    var awaitingHead = true
    /// Bytes of the awaited head have arrived.
    var started = false
    /// When the awaited head must be complete; nil while no clock runs.
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?
    /// The raw-bytes end of the pipeline, where the 408 is written.
    var front: ChannelHandlerContext?

    init(timeout: TimeAmount) { self.timeout = timeout }

    func arm(_ context: ChannelHandlerContext) {
        guard awaitingHead, deadline == nil else { return }
        let due = NIODeadline.now() + timeout
        deadline = due
        if timer == nil { schedule(context.eventLoop, at: due) }
    }

    /// The head arrived: the clock stops (the scheduled task, if any, will find nothing to do).
    func disarm() { deadline = nil }

    /// The connection is going away.
    func cancel() {
        deadline = nil
        timer?.cancel()
        timer = nil
    }

    private func schedule(_ loop: any EventLoop, at due: NIODeadline) {
        timer = loop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: due) { [self] in
            timer = nil
            guard let deadline else { return }
            if deadline > .now() {
                schedule(loop, at: deadline)
                return
            }
            expire()
        }
    }

    private func expire() {
        deadline = nil
        guard awaitingHead, let front else { return }
        if started {
            var reply = front.channel.allocator.buffer(capacity: 96)
            reply.writeString("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            front.writeAndFlush(NIOAny(reply)).assumeIsolated().whenComplete { _ in front.close(promise: nil) }
        } else {
            front.close(promise: nil)
        }
    }
}

/// After the HTTP codec: a decoded head stops the clock; the end of a request's body means the next
/// bytes start the next request. (Inbound only: watching the response too would put one more handler
/// on every write of every response.)
private final class HeadWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let deadline: HeaderDeadline

    init(_ deadline: HeaderDeadline) { self.deadline = deadline }

    func handlerAdded(context: ChannelHandlerContext) {
        try? context.pipeline.syncOperations.addHandler(FirstByteWatcher(deadline), position: .first)
        if context.channel.isActive { deadline.arm(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { deadline.cancel() }

    func channelActive(context: ChannelHandlerContext) {
        deadline.arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline.awaitingHead = false
            deadline.started = false
            deadline.disarm()
        case .end:
            deadline.awaitingHead = true
        case .body:
            break
        }
        context.fireChannelRead(data)
    }
}

/// At the front of the pipeline: the first bytes of an awaited head start its clock.
private final class FirstByteWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let deadline: HeaderDeadline

    init(_ deadline: HeaderDeadline) { self.deadline = deadline }

    func handlerAdded(context: ChannelHandlerContext) { deadline.front = context }
    func handlerRemoved(context: ChannelHandlerContext) { deadline.front = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if deadline.awaitingHead {
            deadline.started = true
            deadline.arm(context)
        }
        context.fireChannelRead(data)
    }
}
