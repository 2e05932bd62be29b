//! Where an instance connects, from `TIM.create`'s `serverURL` option or, when it is absent,
//! the page's own origin: the WebSocket URL and the origin files are uploaded to and served
//! from. Pure string handling (no browser API), so the rule is tested natively.
//!
//! The rule: the scheme is `ws`, `wss`, `http` or `https` in any case (`http` becomes `ws`,
//! `https` becomes `wss`); a URL without a path (or only slashes) gets the server's
//! [`WS_PATH`], a given path is kept without its trailing slashes; the query and fragment
//! follow the path unchanged. The file origin is `http(s)://host[:port]` of the same server.
//! A `serverURL` without one of those schemes or without a host fails with
//! `INVALID_OPERATION`, as does a missing `serverURL` outside a served page.
//!
//! Hand-parsed on purpose rather than with the `url` crate (wasm size); the scans are
//! byte-level and the slicing is checked, so nothing here formats a panic.

use tim_protocol::WS_PATH;

use super::{codes, SdkError};

/// Where an instance connects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerUrls {
    /// `ws(s)://host[:port]/path[?query][#fragment]`: what the WebSocket opens.
    pub socket: String,
    /// `http(s)://host[:port]`: where files are uploaded and served.
    pub file_origin: String,
}

/// The page the SDK runs in, as `window.location` gives it.
#[derive(Clone, Copy, Debug)]
pub struct Page<'a> {
    /// `location.protocol`, e.g. `https:`.
    pub protocol: &'a str,
    /// `location.host`, e.g. `chat.example.com:8443`.
    pub host: &'a str,
}

/// The URLs for a `serverURL` option, or for `page` when the option is absent (an `https:`
/// page connects with `wss`, any other with `ws`).
pub fn resolve(server_url: Option<&str>, page: Option<Page<'_>>) -> Result<ServerUrls, SdkError> {
    match (server_url, page) {
        (Some(url), _) => parse(url),
        (None, Some(page)) if !page.host.is_empty() => {
            let secure = page.protocol.eq_ignore_ascii_case("https:");
            Ok(build(secure, page.host, page.host, "", ""))
        }
        (None, _) => Err(SdkError::new(
            codes::INVALID_OPERATION,
            "serverURL is required outside a page",
        )),
    }
}

/// `scheme://authority[path][?query][#fragment]`, split and rebuilt. Every index below is
/// that of an ASCII byte (or an end), so every slice falls on a character boundary.
fn parse(url: &str) -> Result<ServerUrls, SdkError> {
    let b = url.as_bytes();
    let piece = |from: usize, to: usize| url.get(from..to).unwrap_or_default();
    // As the URL parser does: leading and trailing spaces and control characters go.
    let start = b.iter().position(|c| *c > b' ').unwrap_or(0);
    let end = b.iter().rposition(|c| *c > b' ').map_or(0, |i| i + 1);
    let colon = find(b, start, end, |c| c == b':');
    let secure = match scheme(piece(start, colon)) {
        Some(secure) => secure,
        None => return Err(invalid()),
    };
    if b.get(colon..colon + 3) != Some(b"://".as_slice()) {
        return Err(invalid());
    }
    // The authority ends at the path, the query or the fragment (`\` is `/` in these schemes).
    let authority = colon + 3;
    let path = find(b, authority, end, |c| {
        matches!(c, b'/' | b'\\' | b'?' | b'#')
    });
    // The host follows any `user:password@`.
    let host = b
        .get(authority..path)
        .and_then(|a| a.iter().rposition(|c| *c == b'@'))
        .map_or(authority, |at| authority + at + 1);
    if host >= path || b.get(host) == Some(&b':') {
        return Err(invalid());
    }
    let suffix = find(b, path, end, |c| c == b'?' || c == b'#');
    let mut path_end = suffix;
    while path_end > path && matches!(b.get(path_end - 1), Some(b'/' | b'\\')) {
        path_end -= 1;
    }
    Ok(build(
        secure,
        piece(authority, path),
        piece(host, path),
        piece(path, path_end),
        piece(suffix, end),
    ))
}

/// Whether a scheme is a secure one (`wss`, `https`) or not (`ws`, `http`), in any case;
/// `None` for any other scheme.
fn scheme(scheme: &str) -> Option<bool> {
    let mut lower = [0u8; 5];
    for (l, c) in lower.iter_mut().zip(scheme.bytes()) {
        *l = c.to_ascii_lowercase();
    }
    match lower.get(..scheme.len())? {
        b"ws" | b"http" => Some(false),
        b"wss" | b"https" => Some(true),
        _ => None,
    }
}

/// The index of the first byte of `b[from..to]` that `stop` accepts, else `to`.
fn find(b: &[u8], from: usize, to: usize, stop: fn(u8) -> bool) -> usize {
    b.get(from..to)
        .and_then(|part| part.iter().position(|c| stop(*c)))
        .map_or(to, |at| from + at)
}

/// The URLs for a server at `authority` (`host` without credentials); an empty `path` is the
/// server's [`WS_PATH`].
fn build(secure: bool, authority: &str, host: &str, path: &str, suffix: &str) -> ServerUrls {
    let (ws, http) = if secure {
        ("wss://", "https://")
    } else {
        ("ws://", "http://")
    };
    let path = if path.is_empty() { WS_PATH } else { path };
    let mut socket = String::from(ws);
    for part in [authority, path, suffix] {
        socket.push_str(part);
    }
    ServerUrls {
        socket,
        file_origin: String::from(http) + host,
    }
}

fn invalid() -> SdkError {
    SdkError::new(
        codes::INVALID_OPERATION,
        "serverURL must be a ws://, wss://, http:// or https:// URL with a host",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The socket URL and file origin for a `serverURL`.
    fn urls(server_url: &str) -> (String, String) {
        let u = resolve(Some(server_url), None).expect(server_url);
        (u.socket, u.file_origin)
    }

    fn check(server_url: &str, socket: &str, file_origin: &str) {
        assert_eq!(
            urls(server_url),
            (socket.to_owned(), file_origin.to_owned()),
            "serverURL {server_url:?}"
        );
    }

    fn refused(server_url: &str) {
        let e = resolve(Some(server_url), None).expect_err(server_url);
        assert_eq!(e.code, codes::INVALID_OPERATION, "{server_url:?}");
        assert!(
            e.message.contains("serverURL"),
            "{server_url:?}: {}",
            e.message
        );
    }

    #[test]
    fn websocket_urls_without_a_path_get_the_endpoint() {
        check(
            "ws://127.0.0.1:8080",
            "ws://127.0.0.1:8080/ws",
            "http://127.0.0.1:8080",
        );
        check(
            "wss://chat.example.com",
            "wss://chat.example.com/ws",
            "https://chat.example.com",
        );
        check("ws://h", "ws://h/ws", "http://h");
    }

    #[test]
    fn http_becomes_ws_and_https_becomes_wss() {
        check("http://h:1", "ws://h:1/ws", "http://h:1");
        check("https://h:1", "wss://h:1/ws", "https://h:1");
        check(
            "https://chat.example.com/",
            "wss://chat.example.com/ws",
            "https://chat.example.com",
        );
    }

    #[test]
    fn the_scheme_is_case_insensitive() {
        // Once left as it was: `HTTP://h` stayed an http URL, and the origin was `http://HTTP:`.
        check("HTTP://h", "ws://h/ws", "http://h");
        check("HTTPS://h", "wss://h/ws", "https://h");
        check("Https://h/chat", "wss://h/chat", "https://h");
        check("WS://h:1", "ws://h:1/ws", "http://h:1");
        check("wSs://h:1", "wss://h:1/ws", "https://h:1");
        // The host keeps its case (the browser lowers it).
        check(
            "ws://Chat.Example.COM",
            "ws://Chat.Example.COM/ws",
            "http://Chat.Example.COM",
        );
    }

    #[test]
    fn trailing_slashes_are_dropped() {
        check("http://h:1/", "ws://h:1/ws", "http://h:1");
        check("ws://h//", "ws://h/ws", "http://h");
        check("ws://h/chat/", "ws://h/chat", "http://h");
        check("ws://h/a/b//", "ws://h/a/b", "http://h");
        check("ws://h\\", "ws://h/ws", "http://h");
    }

    #[test]
    fn a_given_path_is_kept() {
        check("ws://h:1/ws", "ws://h:1/ws", "http://h:1");
        check(
            "ws://127.0.0.1:8080/debug/silent-ws",
            "ws://127.0.0.1:8080/debug/silent-ws",
            "http://127.0.0.1:8080",
        );
        check("https://h/im/socket", "wss://h/im/socket", "https://h");
        check("ws://h/a.b", "ws://h/a.b", "http://h");
    }

    #[test]
    fn the_query_and_fragment_follow_the_path() {
        // Once `ws://h:1?x/ws`, with a file origin of `http://h:1?x`.
        check("ws://h:1?x", "ws://h:1/ws?x", "http://h:1");
        check("ws://h:1/?x=1&y=2", "ws://h:1/ws?x=1&y=2", "http://h:1");
        check("ws://h/chat?x", "ws://h/chat?x", "http://h");
        check("ws://h/chat/?x", "ws://h/chat?x", "http://h");
        // Slashes in the query are the query's.
        check("ws://h?next=/a/", "ws://h/ws?next=/a/", "http://h");
        check("https://h?x#f", "wss://h/ws?x#f", "https://h");
        check("ws://h#f", "ws://h/ws#f", "http://h");
        check("ws://h/p#f?x", "ws://h/p#f?x", "http://h");
        check("ws://h?", "ws://h/ws?", "http://h");
    }

    #[test]
    fn ipv6_hosts() {
        check("ws://[::1]:8080", "ws://[::1]:8080/ws", "http://[::1]:8080");
        check(
            "http://[::1]:8080/",
            "ws://[::1]:8080/ws",
            "http://[::1]:8080",
        );
        check(
            "https://[2001:db8::1]",
            "wss://[2001:db8::1]/ws",
            "https://[2001:db8::1]",
        );
        check("ws://[::1]/chat?x", "ws://[::1]/chat?x", "http://[::1]");
        check(
            "ws://[::1]:8080?x",
            "ws://[::1]:8080/ws?x",
            "http://[::1]:8080",
        );
    }

    #[test]
    fn credentials_stay_in_the_socket_url_but_not_in_the_origin() {
        check("ws://u:p@h:1", "ws://u:p@h:1/ws", "http://h:1");
        check("wss://u@[::1]/x", "wss://u@[::1]/x", "https://[::1]");
    }

    #[test]
    fn surrounding_spaces_are_ignored() {
        check("  ws://h:1 ", "ws://h:1/ws", "http://h:1");
        check("\thttp://h/\n", "ws://h/ws", "http://h");
    }

    #[test]
    fn non_ascii_is_passed_through() {
        check(
            "ws://bücher.example/é?ü",
            "ws://bücher.example/é?ü",
            "http://bücher.example",
        );
    }

    #[test]
    fn garbage_is_refused() {
        for url in [
            "",
            "   ",
            "/",
            "ws",
            "ws:",
            "ws:/",
            "ws://",
            "ws:///ws",
            "ws://?x",
            "ws://#f",
            "ws://u@",
            "ws://:8080",
            "ws:h",
            "ws:/h",
            "h:1",
            "localhost:8080",
            "127.0.0.1:8080",
            "//h:1",
            "ftp://h",
            "file:///tmp/x",
            "wsx://h",
            "w s://h",
            "://h",
            ":",
            "é://h",
        ] {
            refused(url);
        }
    }

    #[test]
    fn the_page_origin_is_the_default() {
        let page = |protocol, host| Some(Page { protocol, host });
        let at = |protocol, host| resolve(None, page(protocol, host)).expect(host);
        assert_eq!(
            at("https:", "chat.example.com"),
            ServerUrls {
                socket: "wss://chat.example.com/ws".into(),
                file_origin: "https://chat.example.com".into(),
            }
        );
        assert_eq!(
            at("http:", "127.0.0.1:8080"),
            ServerUrls {
                socket: "ws://127.0.0.1:8080/ws".into(),
                file_origin: "http://127.0.0.1:8080".into(),
            }
        );
        assert_eq!(at("http:", "[::1]:8080").socket, "ws://[::1]:8080/ws");
        // Any page that is not https connects without TLS, as before.
        assert_eq!(at("chrome-extension:", "abc").socket, "ws://abc/ws");
        // The option wins over the page.
        let u = resolve(Some("wss://other"), page("http:", "h")).unwrap();
        assert_eq!(u.socket, "wss://other/ws");
        // Nor does the page rescue a bad option.
        assert!(resolve(Some("nope"), page("http:", "h")).is_err());
    }

    #[test]
    fn without_an_option_or_a_served_page_the_url_is_required() {
        for page in [
            None,
            Some(Page {
                protocol: "file:",
                host: "",
            }),
        ] {
            let e = resolve(None, page).unwrap_err();
            assert_eq!(e.code, codes::INVALID_OPERATION);
            assert_eq!(e.message, "serverURL is required outside a page");
        }
    }
}
