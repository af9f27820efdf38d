//! The answer to each request: articles with validators, compression and
//! cache policies.

use crate::articles::Articles;
#[allow(unused_imports)] // TODO(3) and TODO(4) need them
use crate::caching::{etag, gzip_variant, if_match, if_none_match};
#[allow(unused_imports)]
use crate::compression::{MIN_GZIP_BYTES, accepts_gzip, gzip};
use crate::http::{Request, Response};

/// Public content: any cache (the browser's, a CDN's) may keep it for a
/// minute, then must ask again (with If-None-Match).
pub const ARTICLE_CACHE_CONTROL: &str = "public, max-age=60";

/// Personal data: no cache may keep it, not even the browser's.
pub const ACCOUNT_CACHE_CONTROL: &str = "private, no-store";

pub fn respond(request: &Request, articles: &Articles) -> Response {
    let path = request
        .target
        .split_once('?')
        .map_or(request.target.as_str(), |(path, _query)| path);
    if let Some(slug) = path.strip_prefix("/articles/") {
        if !is_slug(slug) {
            return Response::text(404, "not found");
        }
        return match request.method.as_str() {
            "GET" => get_article(request, articles, slug),
            "PUT" => put_article(request, articles, slug),
            _ => Response::text(405, "GET or PUT").with_header("Allow", "GET, PUT"),
        };
    }
    match (request.method.as_str(), path) {
        ("GET", "/account") => Response::json(
            200,
            &serde_json::json!({ "user": "you", "balance_cents": 4200 }),
        )
        .with_header("Cache-Control", ACCOUNT_CACHE_CONTROL),
        _ => Response::text(404, "not found"),
    }
}

/// Letters, digits and dashes.
fn is_slug(slug: &str) -> bool {
    !slug.is_empty() && slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `GET /articles/{slug}`.
fn get_article(request: &Request, articles: &Articles, slug: &str) -> Response {
    let Some(text) = articles.get(slug) else {
        return Response::text(404, "no such article");
    };
    // TODO(4): a text of at least MIN_GZIP_BYTES, to a client whose
    // Accept-Encoding accepts gzip, goes out gzipped and says so. Decide it
    // here, first: the gzipped bytes are another representation of this
    // version, so they carry a tag of their own, and a 304 must compare
    // against the tag of the representation this client would get.
    let compress = false;
    let _ = request; // TODO(3) and TODO(4) read its headers
    let tag = etag(text.as_bytes());
    // Sent with the 200 and with the 304 alike: a 304 refreshes what the
    // cache knows about the stored response.
    let validators = |response: Response| {
        response
            .with_header("ETag", &tag)
            .with_header("Cache-Control", ARTICLE_CACHE_CONTROL)
            // The body depends on Accept-Encoding: caches must key on it.
            .with_header("Vary", "Accept-Encoding")
    };
    // TODO(3): a client whose If-None-Match matches the tag already has
    // this version: it gets a 304, no body, with the same validators as
    // the 200 would carry.
    let response = Response::text(200, &text);
    if !compress {
        return validators(response);
    }
    todo!("TODO(4): gzip the article")
}

/// `PUT /articles/{slug}`: 201 when created, 200 when replaced, with the
/// new ETag; 412 when `If-Match` does not match the current version.
fn put_article(request: &Request, articles: &Articles, slug: &str) -> Response {
    let Ok(text) = std::str::from_utf8(&request.body) else {
        return Response::text(400, "an article is UTF-8 text");
    };
    let precondition = request.header("if-match");
    let allowed = |current: Option<&str>| match precondition {
        None => true,
        Some(header) => if_match(header, current.map(|text| etag(text.as_bytes())).as_deref()),
    };
    match articles.put_if(slug, text, allowed) {
        None => Response::text(412, "the article changed since you read it: GET it again"),
        Some(created) => Response::empty(if created { 201 } else { 200 })
            .with_header("ETag", &etag(text.as_bytes())),
    }
}

#[cfg(test)]
mod tests {
    use super::respond;
    use crate::articles::Articles;
    use crate::caching::etag;
    use crate::http::{Request, Response};

    const TEXT: &str = "A long article that is well worth compressing, because it \
        repeats itself: a long article that is well worth compressing, because \
        it repeats itself, again and again; a long article that is well worth \
        compressing, because it repeats itself, again and again and again, until \
        it is long enough to be worth the gzip header and the CPU time.";

    fn request(method: &str, target: &str, headers: &[(&str, &str)], body: &str) -> Request {
        Request {
            method: method.to_string(),
            target: target.to_string(),
            version: "HTTP/1.1".to_string(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn get(articles: &Articles, headers: &[(&str, &str)]) -> Response {
        respond(&request("GET", "/articles/intro", headers, ""), articles)
    }

    fn with_article() -> Articles {
        let articles = Articles::default();
        articles.put_if("intro", TEXT, |_| true);
        articles
    }

    #[test]
    fn a_matching_if_none_match_is_304_without_a_body() {
        let articles = with_article();
        let tag = etag(TEXT.as_bytes());
        let full = get(&articles, &[]);
        assert_eq!(full.status, 200);
        assert_eq!(full.header("etag"), Some(tag.as_str()));
        let again = get(&articles, &[("If-None-Match", &tag)]);
        assert_eq!(
            again.status, 304,
            "TODO(3): the client has this version: 304 Not Modified"
        );
        assert!(again.body.is_empty(), "TODO(3): a 304 has no body");
        for name in ["etag", "cache-control", "vary"] {
            assert_eq!(
                again.header(name),
                full.header(name),
                "TODO(3): a 304 carries the same {name} as the 200"
            );
        }
        let other = get(&articles, &[("If-None-Match", "\"0000000000000000\"")]);
        assert_eq!(
            other.status, 200,
            "TODO(3): another version: the full answer"
        );
    }

    #[test]
    fn gzip_when_accepted_and_worth_it() {
        let articles = with_article();
        let zipped = get(&articles, &[("Accept-Encoding", "br, gzip")]);
        assert_eq!(
            zipped.header("content-encoding"),
            Some("gzip"),
            "TODO(4): the client accepts gzip and the article is long"
        );
        assert!(
            zipped.body.len() < TEXT.len(),
            "TODO(4): the body is compressed"
        );
        assert_eq!(
            zipped.header("vary"),
            Some("Accept-Encoding"),
            "TODO(4): Vary: Accept-Encoding"
        );
        let plain_tag = etag(TEXT.as_bytes());
        let zipped_tag = zipped.header("etag").unwrap_or_default().to_string();
        assert_ne!(
            zipped_tag, plain_tag,
            "TODO(4): the gzip bytes are another representation: another ETag (gzip_variant)"
        );
        let again = get(
            &articles,
            &[("Accept-Encoding", "gzip"), ("If-None-Match", &zipped_tag)],
        );
        assert_eq!(
            again.status, 304,
            "TODO(4): the gzip tag validates the gzip variant"
        );
    }

    #[test]
    fn no_gzip_when_refused_or_too_small() {
        let articles = with_article();
        let refused = get(&articles, &[("Accept-Encoding", "gzip;q=0, br")]);
        assert_eq!(
            refused.header("content-encoding"),
            None,
            "TODO(4): q=0 refuses gzip"
        );
        assert_eq!(refused.body, TEXT.as_bytes());
        articles.put_if("short", "tiny", |_| true);
        let short = respond(
            &request("GET", "/articles/short", &[("Accept-Encoding", "gzip")], ""),
            &articles,
        );
        assert_eq!(
            short.header("content-encoding"),
            None,
            "TODO(4): under MIN_GZIP_BYTES the body goes as it is"
        );
    }

    #[test]
    fn a_put_with_a_stale_if_match_is_412() {
        let articles = with_article();
        let stale = respond(
            &request(
                "PUT",
                "/articles/intro",
                &[("If-Match", "\"stale\"")],
                "new",
            ),
            &articles,
        );
        assert_eq!(
            stale.status, 412,
            "TODO(5): If-Match names another version: 412, and nothing changes"
        );
        assert_eq!(articles.get("intro").as_deref(), Some(TEXT));
        let tag = etag(TEXT.as_bytes());
        let fresh = respond(
            &request("PUT", "/articles/intro", &[("If-Match", &tag)], "new"),
            &articles,
        );
        assert_eq!(fresh.status, 200, "TODO(5): the current version: replaced");
        assert_eq!(fresh.header("etag"), Some(etag(b"new").as_str()));
    }
}
