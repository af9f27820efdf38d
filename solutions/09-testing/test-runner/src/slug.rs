//! Titles to URL slugs: lower-case ASCII letters and digits, single dashes.

use std::collections::HashSet;

/// The slug of a title: letters and digits kept (lower-cased, accents
/// folded to their base letter), every run of anything else one dash, no
/// dash at either end.
///
/// ```
/// use test_runner::slugify;
///
/// assert_eq!(slugify("Crème Brûlée: 2 Ways!"), "creme-brulee-2-ways");
/// assert_eq!(slugify("  --  "), "");
/// ```
pub fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    let mut dash = false;
    for c in title.chars() {
        match fold(c) {
            Some(k) => {
                if dash && !slug.is_empty() {
                    slug.push('-');
                }
                dash = false;
                slug.push(k);
            }
            None => dash = true,
        }
    }
    slug
}

/// `slug` itself if it is free, else `slug-2`, `slug-3`, … the first that
/// is not in `taken`.
///
/// ```
/// use std::collections::HashSet;
/// use test_runner::unique;
///
/// let taken: HashSet<String> = ["news".to_string(), "news-2".to_string()].into();
/// assert_eq!(unique("news", &taken), "news-3");
/// ```
pub fn unique(slug: &str, taken: &HashSet<String>) -> String {
    if !taken.contains(slug) {
        return slug.to_string();
    }
    let mut n = 2;
    loop {
        let candidate = format!("{slug}-{n}");
        if !taken.contains(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

/// The character a slug keeps for `c`: ASCII letters lower-cased, digits
/// as they are, the accented Latin letters folded to their base letter;
/// `None` for everything else (a separator).
fn fold(c: char) -> Option<char> {
    let base = match c {
        'a'..='z' | '0'..='9' => c,
        'A'..='Z' => c.to_ascii_lowercase(),
        'à' | 'á' | 'â' | 'ä' | 'À' | 'Á' | 'Â' | 'Ä' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        _ => return None,
    };
    Some(base)
}

#[cfg(test)]
mod tests;
