//! # rampart-serve: the browser replay
//!
//! A small local web server: the replay page (HTML, JavaScript and CSS
//! embedded in the binary at build time) and one API route with the night's
//! replay data. It serves nothing else: every other path, `../` tricks
//! included, is a 404, since no route ever touches the filesystem.
//!
//! Routes:
//! - `GET /`, `/app.js`, `/style.css`: the page.
//! - `GET /api/replay`: the replay (`rampart_report::Replay` as JSON).
//!
//! Limits: request bodies over [`MAX_BODY`] bytes get 413 (no route takes a
//! body), targets longer than [`MAX_TARGET`] bytes get 414, and headers are
//! capped by hyper's own limits. A server on a loopback address answers only
//! requests whose `Host` is a loopback name (421 otherwise), so a web page
//! elsewhere cannot read the replay by DNS rebinding.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! println!("listening on http://{}/", listener.local_addr()?);
//! rampart_serve::serve(listener, br#"{"format":1}"#.to_vec(), std::future::pending()).await
//! # }
//! ```

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// Largest request body accepted, bytes.
pub const MAX_BODY: u64 = 1024;
/// Longest request target (path and query) accepted, bytes.
pub const MAX_TARGET: usize = 2048;

const INDEX: &str = include_str!("../static/index.html");
const APP: &str = include_str!("../static/app.js");
const STYLE: &str = include_str!("../static/style.css");

/// Which `Host` headers the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hosts {
    /// `localhost`, `127.0.0.1`, `[::1]` (with any port): for a loopback bind.
    Loopback,
    /// Any: the user chose to serve beyond this machine.
    Any,
}

impl Hosts {
    /// The policy for a server bound to `addr`.
    pub fn for_bind(addr: std::net::IpAddr) -> Hosts {
        if addr.is_loopback() {
            Hosts::Loopback
        } else {
            Hosts::Any
        }
    }

    fn allows(self, host: Option<&str>) -> bool {
        match self {
            Hosts::Any => true,
            Hosts::Loopback => host.is_some_and(|h| {
                let name = if let Some(rest) = h.strip_prefix('[') {
                    rest.split(']').next().unwrap_or("")
                } else {
                    h.split(':').next().unwrap_or("")
                };
                matches!(name, "localhost" | "127.0.0.1" | "::1")
            }),
        }
    }
}

/// The page's routes over `replay` (the JSON bytes of a replay).
pub fn router(replay: Vec<u8>, hosts: Hosts) -> Router {
    let replay: Arc<[u8]> = replay.into();
    Router::new()
        .route(
            "/",
            get(|| async { page("text/html; charset=utf-8", INDEX) }),
        )
        .route(
            "/app.js",
            get(|| async { page("text/javascript; charset=utf-8", APP) }),
        )
        .route(
            "/style.css",
            get(|| async { page("text/css; charset=utf-8", STYLE) }),
        )
        .route("/api/replay", get(replay_json))
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found\n") })
        .with_state(replay)
        .layer(DefaultBodyLimit::max(MAX_BODY as usize))
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            limits(hosts, req, next)
        }))
}

async fn replay_json(State(replay): State<Arc<[u8]>>) -> Response {
    let mut r = Body::from(replay.to_vec()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn page(content_type: &'static str, body: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// Size caps, and headers that keep the page to its own origin.
async fn limits(hosts: Hosts, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    if !hosts.allows(host) {
        return (
            StatusCode::MISDIRECTED_REQUEST,
            "this server answers only requests to localhost\n",
        )
            .into_response();
    }
    if req.uri().to_string().len() > MAX_TARGET {
        return (StatusCode::URI_TOO_LONG, "request target too long\n").into_response();
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n").into_response();
    }
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Serves the replay on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    replay: Vec<u8>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let hosts = Hosts::for_bind(listener.local_addr()?.ip());
    axum::serve(listener, router(replay, hosts))
        .with_graceful_shutdown(shutdown)
        .await
}
