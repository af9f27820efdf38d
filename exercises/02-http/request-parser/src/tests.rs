//! The tests the exercise is checked with. Run them with `cargo test`; the
//! checker runs this file as shipped, so editing it changes nothing there.

use crate::{
    BodyFraming, Headers, MAX_BODY_BYTES, MAX_HEAD_BYTES, Method, ParseError, Parsed, Request,
    Version, body_length, decode_chunked, parse, parse_header_line, parse_request_line,
};

/// Parses `bytes`, which must hold one complete request.
fn complete(bytes: &[u8]) -> (Request, usize) {
    match parse(bytes) {
        Ok(Parsed::Complete { request, consumed }) => (request, consumed),
        other => panic!("expected a complete request, got {other:?}"),
    }
}

/// Parses `bytes`, which must be rejected.
fn rejected(bytes: &[u8]) -> ParseError {
    match parse(bytes) {
        Err(error) => error,
        Ok(parsed) => panic!("expected an error, got {parsed:?}"),
    }
}

fn headers(fields: &[(&str, &str)]) -> Headers {
    let mut headers = Headers::default();
    for (name, value) in fields {
        headers.push(name.to_string(), value.to_string());
    }
    headers
}

// --- the request line: TODO(1) ---

#[test]
fn request_line_has_method_target_and_version() {
    assert_eq!(
        parse_request_line("GET /index.html?x=1 HTTP/1.1"),
        Ok((Method::Get, "/index.html?x=1".to_string(), Version::Http11))
    );
    assert_eq!(
        parse_request_line("DELETE /notes/7 HTTP/1.0"),
        Ok((Method::Delete, "/notes/7".to_string(), Version::Http10))
    );
}

#[test]
fn malformed_request_lines_are_400() {
    for line in [
        "",
        "GET /",
        "GET  / HTTP/1.1",
        "GET / HTTP/1.1 ",
        "GET / HTTP/1.1 extra",
        "G(T / HTTP/1.1",
        "GET / http/1.1",
        "GET / HTTP/one",
        "GET /a\u{7f}b HTTP/1.1",
    ] {
        let result = parse_request_line(line);
        assert_eq!(
            result,
            Err(ParseError::BadRequestLine),
            "request line {line:?}"
        );
    }
    assert_eq!(ParseError::BadRequestLine.status(), 400);
}

#[test]
fn unknown_methods_are_501() {
    assert_eq!(
        parse_request_line("BREW /pot HTTP/1.1"),
        Err(ParseError::UnsupportedMethod("BREW".to_string()))
    );
    // Methods are case-sensitive.
    assert_eq!(
        parse_request_line("get / HTTP/1.1"),
        Err(ParseError::UnsupportedMethod("get".to_string()))
    );
    assert_eq!(
        ParseError::UnsupportedMethod("BREW".to_string()).status(),
        501
    );
}

#[test]
fn other_http_versions_are_505() {
    for version in ["HTTP/2.0", "HTTP/1.2", "HTTP/0.9"] {
        assert_eq!(
            parse_request_line(&format!("GET / {version}")),
            Err(ParseError::UnsupportedVersion(version.to_string()))
        );
    }
    assert_eq!(
        ParseError::UnsupportedVersion("HTTP/2.0".to_string()).status(),
        505
    );
}

// --- header lines: TODO(2) ---

#[test]
fn header_values_are_trimmed() {
    assert_eq!(
        parse_header_line("X-Thing: \t spaced  value \t"),
        Ok(("X-Thing".to_string(), "spaced  value".to_string()))
    );
    assert_eq!(
        parse_header_line("Empty:"),
        Ok(("Empty".to_string(), String::new()))
    );
}

#[test]
fn malformed_header_lines_are_400() {
    for line in [
        "no colon here",
        ": no name",
        "Host : space before colon",
        "Bad\u{1}: x",
        "X: a\u{0}b",
    ] {
        assert_eq!(
            parse_header_line(line),
            Err(ParseError::BadHeader),
            "header line {line:?}"
        );
    }
}

#[test]
fn obsolete_line_folding_is_400() {
    assert_eq!(
        parse_header_line(" continued"),
        Err(ParseError::ObsoleteFold)
    );
    assert_eq!(
        parse_header_line("\tcontinued"),
        Err(ParseError::ObsoleteFold)
    );
    assert_eq!(ParseError::ObsoleteFold.status(), 400);
}

// --- header lookup: TODO(3) ---

#[test]
fn header_lookup_ignores_case() {
    let headers = headers(&[
        ("Content-Type", "text/plain"),
        ("X-Seen", "1"),
        ("x-seen", "2"),
    ]);
    assert_eq!(headers.get("content-type"), Some("text/plain"));
    assert_eq!(headers.get("CONTENT-TYPE"), Some("text/plain"));
    assert_eq!(headers.get_all("X-SEEN").collect::<Vec<_>>(), ["1", "2"]);
    assert_eq!(headers.get("accept"), None);
}

// --- the body length: TODO(4) ---

#[test]
fn content_length_gives_the_body_length() {
    let length = |n| Ok(BodyFraming::Length(n));
    assert_eq!(
        body_length(&headers(&[])),
        length(0),
        "TODO(4): no Content-Length, no body"
    );
    assert_eq!(
        body_length(&headers(&[("content-length", "42")])),
        length(42)
    );
    // The same length said twice is still one length.
    assert_eq!(
        body_length(&headers(&[("Content-Length", "5, 5")])),
        length(5)
    );
    assert_eq!(
        body_length(&headers(&[
            ("Content-Length", "5"),
            ("content-length", "5")
        ])),
        length(5)
    );
}

#[test]
fn chunked_is_a_framing_of_its_own() {
    for value in ["chunked", "Chunked", " chunked "] {
        assert_eq!(
            body_length(&headers(&[("Transfer-Encoding", value)])),
            Ok(BodyFraming::Chunked),
            "TODO(4): Transfer-Encoding: {value:?}"
        );
    }
}

#[test]
fn two_framings_at_once_are_400() {
    for fields in [
        &[("Transfer-Encoding", "chunked"), ("Content-Length", "5")][..],
        &[("Content-Length", "5"), ("transfer-encoding", "chunked")][..],
        &[("Transfer-Encoding", "chunked, chunked")][..],
        &[
            ("Transfer-Encoding", "chunked"),
            ("Transfer-Encoding", "chunked"),
        ][..],
    ] {
        assert_eq!(
            body_length(&headers(fields)),
            Err(ParseError::BadFraming),
            "TODO(4): {fields:?} frames the body twice: refuse it"
        );
    }
    assert_eq!(ParseError::BadFraming.status(), 400);
}

#[test]
fn invalid_or_conflicting_content_length_is_400() {
    for value in [
        "abc",
        "-1",
        "+5",
        "5 5",
        "",
        "5, 6",
        "99999999999999999999999",
    ] {
        assert_eq!(
            body_length(&headers(&[("Content-Length", value)])),
            Err(ParseError::BadContentLength),
            "Content-Length: {value:?}"
        );
    }
    assert_eq!(
        body_length(&headers(&[
            ("Content-Length", "5"),
            ("Content-Length", "6")
        ])),
        Err(ParseError::BadContentLength)
    );
}

#[test]
fn transfer_codings_other_than_chunked_are_501() {
    for value in ["gzip", "identity", "gzip, chunked"] {
        let error = body_length(&headers(&[("Transfer-Encoding", value)]));
        assert_eq!(
            error,
            Err(ParseError::UnsupportedTransferEncoding(value.to_string())),
            "TODO(4): this server decodes chunked only"
        );
    }
    assert_eq!(
        ParseError::UnsupportedTransferEncoding("gzip".to_string()).status(),
        501
    );
}

#[test]
fn a_body_over_the_limit_is_413() {
    let error = body_length(&headers(&[("Content-Length", "1048577")]));
    assert_eq!(error, Err(ParseError::BodyTooLarge));
    assert_eq!(ParseError::BodyTooLarge.status(), 413);
}

// --- whole requests: TODO(5) ---

#[test]
fn parses_a_whole_get_request() {
    let bytes = b"GET /hello HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n";
    let (request, consumed) = complete(bytes);
    assert_eq!(request.method, Method::Get);
    assert_eq!(request.target, "/hello");
    assert_eq!(request.version, Version::Http11);
    assert_eq!(request.headers.len(), 2);
    assert_eq!(request.headers.get("host"), Some("example.com"));
    assert!(request.body.is_empty());
    assert_eq!(consumed, bytes.len());
}

#[test]
fn incomplete_until_the_empty_line_arrives() {
    let bytes = b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
    for end in 0..bytes.len() {
        assert_eq!(
            parse(&bytes[..end]),
            Ok(Parsed::Incomplete),
            "first {end} bytes"
        );
    }
    complete(bytes);
}

#[test]
fn reads_the_body_and_stops_there() {
    let bytes =
        b"POST /notes HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\n";
    let (request, consumed) = complete(bytes);
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.body, b"hello");
    // The next request starts right after the body.
    assert_eq!(&bytes[consumed..], b"GET / HTTP/1.1\r\n");
}

#[test]
fn incomplete_until_the_whole_body_arrives() {
    let bytes = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc";
    assert_eq!(parse(bytes), Ok(Parsed::Incomplete));
}

#[test]
fn http_1_1_needs_exactly_one_host() {
    assert_eq!(rejected(b"GET / HTTP/1.1\r\n\r\n"), ParseError::BadHost);
    assert_eq!(
        rejected(b"GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n"),
        ParseError::BadHost
    );
    assert_eq!(ParseError::BadHost.status(), 400);
    // HTTP/1.0 had no Host header.
    let (request, _) = complete(b"GET / HTTP/1.0\r\n\r\n");
    assert_eq!(request.version, Version::Http10);
}

#[test]
fn errors_in_any_line_reject_the_request() {
    assert_eq!(
        rejected(b"GET /\r\nHost: x\r\n\r\n"),
        ParseError::BadRequestLine
    );
    assert_eq!(
        rejected(b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: a\r\n  b\r\n\r\n"),
        ParseError::ObsoleteFold
    );
    assert_eq!(
        rejected(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"),
        ParseError::UnsupportedTransferEncoding("gzip".to_string())
    );
}

#[test]
fn a_header_section_over_the_limit_is_431() {
    let mut bytes = b"GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ".to_vec();
    bytes.resize(MAX_HEAD_BYTES + 100, b'a');
    // Even before the empty line arrives: waiting for it would let a client
    // fill the server's memory.
    assert_eq!(rejected(&bytes), ParseError::HeadTooLarge);
    bytes.extend_from_slice(b"\r\n\r\n");
    assert_eq!(rejected(&bytes), ParseError::HeadTooLarge);
    assert_eq!(ParseError::HeadTooLarge.status(), 431);
}

// --- chunked bodies: TODO(6) ---

#[test]
fn chunks_are_joined_into_the_body() {
    let wire = b"5\r\nhello\r\n1a;note=x\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\nGET";
    let decoded = decode_chunked(wire);
    assert_eq!(
        decoded,
        Ok(Some((
            b"helloabcdefghijklmnopqrstuvwxyz".to_vec(),
            wire.len() - 3
        ))),
        "TODO(6): two chunks (one with an extension to ignore), the last chunk, the empty line"
    );
}

#[test]
fn trailer_fields_are_read_past() {
    let wire = b"3\r\nabc\r\n0\r\nChecksum: 9f\r\nX-More: 1\r\n\r\n";
    assert_eq!(
        decode_chunked(wire),
        Ok(Some((b"abc".to_vec(), wire.len()))),
        "TODO(6): after the last chunk, trailer lines up to an empty line"
    );
}

#[test]
fn incomplete_until_the_last_chunk_and_the_empty_line() {
    let wire = b"4\r\nwiki\r\n5\r\npedia\r\n0\r\n\r\n";
    for end in 0..wire.len() {
        assert_eq!(
            decode_chunked(&wire[..end]),
            Ok(None),
            "TODO(6): the first {end} bytes are not a whole chunked body yet"
        );
    }
    assert_eq!(
        decode_chunked(wire),
        Ok(Some((b"wikipedia".to_vec(), wire.len())))
    );
}

#[test]
fn bad_chunks_are_400() {
    for wire in [
        &b"zz\r\nab\r\n0\r\n\r\n"[..],
        b"\r\n",
        b"-1\r\n",
        b"3\r\nabcd\r\n0\r\n\r\n",
        b"3\r\nabcXY0\r\n\r\n",
    ] {
        assert_eq!(
            decode_chunked(wire),
            Err(ParseError::BadChunk),
            "TODO(6): {:?}",
            String::from_utf8_lossy(wire)
        );
    }
    assert_eq!(ParseError::BadChunk.status(), 400);
}

#[test]
fn a_chunked_body_over_the_limit_is_413_before_it_arrives() {
    // Only the size line has arrived: the answer must not wait for the data.
    let huge = format!("{:x}\r\n", MAX_BODY_BYTES + 1);
    assert_eq!(
        decode_chunked(huge.as_bytes()),
        Err(ParseError::BodyTooLarge),
        "TODO(6): decide from the size line"
    );
    assert_eq!(
        decode_chunked(b"ffffffffffffff\r\n"),
        Err(ParseError::BodyTooLarge)
    );
    // Many chunks add up too.
    let half = format!("{:x}\r\n", MAX_BODY_BYTES / 2 + 1);
    let mut wire = half.clone().into_bytes();
    wire.extend(vec![b'a'; MAX_BODY_BYTES / 2 + 1]);
    wire.extend_from_slice(b"\r\n");
    wire.extend_from_slice(half.as_bytes());
    assert_eq!(decode_chunked(&wire), Err(ParseError::BodyTooLarge));
}

#[test]
fn parse_reads_a_chunked_request_and_stops_there() {
    let bytes = b"POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
        6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\nGET / HTTP/1.1\r\n";
    let (request, consumed) = complete(bytes);
    assert_eq!(
        request.body, b"hello world",
        "TODO(5)/TODO(6): the decoded body"
    );
    assert_eq!(
        &bytes[consumed..],
        b"GET / HTTP/1.1\r\n",
        "TODO(5): the next request starts after the empty line"
    );
    let partial = b"POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhel";
    assert_eq!(parse(partial), Ok(Parsed::Incomplete));
}

#[test]
fn transfer_encoding_in_http_1_0_is_400() {
    assert_eq!(
        rejected(b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        ParseError::BadFraming,
        "TODO(5): HTTP/1.0 has no Transfer-Encoding: the framing is faulty (RFC 9112, 6.1)"
    );
}
