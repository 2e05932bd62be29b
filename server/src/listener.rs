//! The accept loop. `axum::serve` has no header-read timer and takes every connection it can;
//! this loop caps open connections (over the cap a client gets a 503 at once instead of a
//! hang), backs off when accept fails (out of file descriptors) instead of spinning, and serves
//! each connection with hyper's HTTP/1 server under a header-read timeout, which closes silent
//! and slowloris connections. An upgraded connection (WebSocket) keeps its slot until the
//! socket closes. On shutdown it stops accepting, lets in-flight requests finish and waits.

use std::io;
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Pause after an accept error such as EMFILE before trying again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// Refusals (503) in progress at once; beyond that, connections over the cap are just closed.
const MAX_REFUSING: usize = 64;
/// How long a refused client has to read its 503 before the socket goes.
const REFUSE_LINGER: Duration = Duration::from_secs(1);
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\n\
content-length: 29\r\nretry-after: 1\r\nconnection: close\r\n\r\ntoo many connections, retry\n";

/// What the accept loop needs to know.
pub struct Limits {
    /// Open connections (HTTP and WebSocket) beyond which new ones are refused.
    pub max_connections: usize,
    /// A connection that has not sent a whole request head this long after it opened (or
    /// after its previous response) is closed.
    pub header_timeout: Duration,
}

/// Serves `router` on `listener` until `shutdown` is cancelled, then waits for the HTTP
/// connections (not the upgraded ones: their tasks watch `shutdown` themselves).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: CancellationToken,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let connections = TaskTracker::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let service = TowerToHyperService::new(router);
    let mut failing = false;
    loop {
        let accepted = tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => {
                // Acks and pushes are small frames written one by one: with Nagle's algorithm
                // one waits for the peer's delayed ACK, 40 ms on Linux.
                let _ = stream.set_nodelay(true);
                if std::mem::take(&mut failing) {
                    tracing::info!("accepting connections again");
                }
                stream
            }
            Err(e) if is_per_connection(&e) => continue,
            Err(e) => {
                // EMFILE and the like: retrying at once would spin; log once per episode.
                if !std::mem::replace(&mut failing, true) {
                    tracing::warn!("accept failed: {e}; retrying every {ACCEPT_BACKOFF:?}");
                }
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(ACCEPT_BACKOFF) => continue,
                }
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            if let Ok(permit) = refusing.clone().try_acquire_owned() {
                tokio::spawn(refuse(stream, permit));
            }
            continue;
        };
        let io = TokioIo::new(Counted {
            stream,
            _slot: slot,
        });
        let conn = http.serve_connection(io, service.clone()).with_upgrades();
        let shutdown = shutdown.clone();
        connections.spawn(async move {
            let mut conn = pin!(conn);
            let ended = tokio::select! {
                ended = conn.as_mut() => ended,
                _ = shutdown.cancelled() => {
                    conn.as_mut().graceful_shutdown();
                    conn.await
                }
            };
            if let Err(e) = ended {
                tracing::debug!("http connection ended: {e}");
            }
        });
    }
    connections.close();
    connections.wait().await;
}

/// Errors of one connection that leave the listener healthy (as `axum::serve` judges them).
fn is_per_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Answers 503 and closes; reads what the client sent meanwhile, since closing a socket with
/// unread data resets it and the client could lose the answer.
async fn refuse(mut stream: TcpStream, _permit: OwnedSemaphorePermit) {
    let _ = tokio::time::timeout(REFUSE_LINGER, async {
        stream.write_all(BUSY).await?;
        stream.shutdown().await?;
        let mut sink = [0u8; 1024];
        while stream.read(&mut sink).await? > 0 {}
        Ok::<_, io::Error>(())
    })
    .await;
}

/// A TCP stream holding one connection slot, given back when the stream is dropped (after the
/// WebSocket it was upgraded to has closed).
struct Counted {
    stream: TcpStream,
    _slot: OwnedSemaphorePermit,
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Connections allowed when none is configured: the soft file-descriptor limit less a reserve
/// for the database, uploads, downloads and the 503 answers (an eighth, at least 128).
pub fn default_max_connections() -> usize {
    let fds = rlimit::getrlimit(rlimit::Resource::NOFILE)
        .map(|(soft, _)| soft)
        .unwrap_or(1024);
    let fds = usize::try_from(fds).unwrap_or(usize::MAX);
    fds.saturating_sub((fds / 8).max(128)).max(16)
}
