//! The server over real sockets, with requests written by hand so that no
//! client normalises the paths we want to try.

use std::io::{Read, Write};
use std::net::TcpStream;

/// Starts a server on a free port; returns its address.
fn start() -> std::net::SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr")).expect("send");
            rampart_serve::serve(
                listener,
                br#"{"format":1,"scenario":"test"}"#.to_vec(),
                std::future::pending(),
            )
            .await
            .expect("serve");
        });
    });
    rx.recv().expect("address")
}

/// Sends `request` raw; returns the status code, the headers and the body.
fn raw(addr: std::net::SocketAddr, request: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.write_all(request.as_bytes()).expect("write");
    let mut out = Vec::new();
    s.read_to_end(&mut out).expect("read");
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let code = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (code, head.to_ascii_lowercase(), body.to_string())
}

fn get(addr: std::net::SocketAddr, target: &str) -> (u16, String, String) {
    raw(
        addr,
        &format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    )
}

#[test]
fn the_page_and_the_replay_are_served_with_their_types() {
    let addr = start();
    for (path, ty, needle) in [
        ("/", "text/html", "<canvas id=\"map\""),
        ("/app.js", "text/javascript", "/api/replay"),
        ("/style.css", "text/css", "#map"),
        ("/api/replay", "application/json", "\"scenario\":\"test\""),
    ] {
        let (code, head, body) = get(addr, path);
        assert_eq!(code, 200, "{path}");
        assert!(
            head.contains(&format!("content-type: {ty}")),
            "{path}: {head}"
        );
        assert!(head.contains("x-content-type-options: nosniff"), "{head}");
        assert!(
            head.contains("content-security-policy: default-src 'self'"),
            "{head}"
        );
        assert!(body.contains(needle), "{path}");
    }
}

#[test]
fn path_traversal_and_unknown_paths_are_404() {
    let addr = start();
    for target in [
        "/../../../../etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/static/../Cargo.toml",
        "/app.js/../../Cargo.toml",
        "/src/lib.rs",
        "/index.html%00.js",
        "/api/replay/../../etc/passwd",
        "//etc/passwd",
        "/api",
    ] {
        let (code, _, body) = get(addr, target);
        assert_eq!(code, 404, "{target}");
        assert!(!body.contains("root:"), "{target}");
    }
}

#[test]
fn requests_over_the_caps_are_refused() {
    let addr = start();
    let long = format!("/{}", "a".repeat(rampart_serve::MAX_TARGET + 10));
    assert_eq!(get(addr, &long).0, 414);
    let body = "x".repeat(rampart_serve::MAX_BODY as usize + 1);
    let (code, _, _) = raw(
        addr,
        &format!(
            "POST /api/replay HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    assert_eq!(code, 413);
    // A small body to a GET-only route: method not allowed.
    let (code, _, _) = raw(
        addr,
        "POST /api/replay HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
    );
    assert_eq!(code, 405);
}

#[test]
fn a_loopback_server_answers_only_loopback_host_names() {
    let addr = start();
    for host in ["localhost", "localhost:8080", "127.0.0.1:1234", "[::1]:80"] {
        let (code, _, _) = raw(
            addr,
            &format!("GET /api/replay HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(code, 200, "{host}");
    }
    // DNS rebinding: a page of evil.example resolved to 127.0.0.1.
    for host in [
        "evil.example",
        "evil.example:8080",
        "127.0.0.1.evil.example",
    ] {
        let (code, _, body) = raw(
            addr,
            &format!("GET /api/replay HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(code, 421, "{host}");
        assert!(!body.contains("scenario"), "{host}");
    }
}
