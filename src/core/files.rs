//! File URLs and the checks of the file creators. Contents carry server-relative URLs
//! (`/files/<id>`); JavaScript sees absolute ones with this user's download token. Contents
//! are never read back from the URLs JavaScript holds: sends, forwards and mergers use the
//! content this instance stored or created.

use tim_protocol::FILE_URL_PREFIX;

use super::codes;
use super::types::SdkError;

/// The largest file the SDK uploads (the server has its own, configurable, limit).
pub const MAX_FILE_SIZE: u64 = 100 * 1024 * 1024;

/// Where files are served and the token that lets this user read them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileUrls {
    /// `http(s)://host:port` of the server.
    pub origin: String,
    /// The login reply's `file_token`.
    pub token: String,
}

impl FileUrls {
    /// The URL shown to JavaScript for a content URL: absolute with `?tk=` for stored files,
    /// anything else (empty, foreign) as it is.
    pub fn absolute(&self, url: &str) -> String {
        if !url.starts_with(FILE_URL_PREFIX) {
            return url.to_owned();
        }
        let mut out = String::with_capacity(self.origin.len() + url.len() + self.token.len() + 4);
        out.push_str(&self.origin);
        out.push_str(url);
        out.push_str("?tk=");
        out.push_str(&self.token);
        out
    }
}

/// A file the page picked, as the creators see it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PickedFile {
    /// File name ("" for a Blob).
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// MIME type ("" when unknown).
    pub mime: String,
}

/// Lower-case extension of a file name, "" when none.
fn extension(name: &str) -> String {
    match name.rfind('.') {
        Some(at) => name.get(at + 1..).unwrap_or("").to_ascii_lowercase(),
        None => String::new(),
    }
}

/// tim-js-sdk's imageFormat for an image type (by MIME, else extension): 1 JPG, 2 GIF, 3 PNG,
/// 4 BMP, 255 other; `None` for a type the image creator refuses.
pub fn image_format(file: &PickedFile) -> Option<u32> {
    let mime = file.mime.to_ascii_lowercase();
    let kind = match mime.strip_prefix("image/") {
        Some(sub) if !sub.is_empty() => sub.to_owned(),
        _ => extension(&file.name),
    };
    match kind.as_str() {
        "jpg" | "jpeg" => Some(1),
        "gif" => Some(2),
        "png" => Some(3),
        "bmp" => Some(4),
        "webp" => Some(255),
        _ => None,
    }
}

/// A video's container name for `videoFormat` (extension, else MIME subtype, else "mp4").
pub fn video_format(file: &PickedFile) -> String {
    let ext = extension(&file.name);
    if !ext.is_empty() {
        return ext;
    }
    match file.mime.to_ascii_lowercase().strip_prefix("video/") {
        Some(sub) if !sub.is_empty() => sub.to_owned(),
        _ => "mp4".to_owned(),
    }
}

/// The size checks every creator makes before anything is uploaded.
pub fn check_size(file: &PickedFile) -> Result<(), SdkError> {
    if file.size == 0 {
        return Err(SdkError::new(
            codes::MESSAGE_FILE_IS_EMPTY,
            "the file is empty",
        ));
    }
    if file.size > MAX_FILE_SIZE {
        return Err(SdkError::new(
            codes::MESSAGE_FILE_SIZE_LIMIT,
            "the file is larger than 100 MB",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, size: u64, mime: &str) -> PickedFile {
        PickedFile {
            name: name.into(),
            size,
            mime: mime.into(),
        }
    }

    #[test]
    fn urls_shown_absolute() {
        let f = FileUrls {
            origin: "http://h:8".into(),
            token: "t.k".into(),
        };
        assert_eq!(f.absolute("/files/abc"), "http://h:8/files/abc?tk=t.k");
        assert_eq!(f.absolute(""), "");
        assert_eq!(f.absolute("https://x/y"), "https://x/y");
    }

    #[test]
    fn image_types_and_sizes() {
        assert_eq!(image_format(&file("a.PNG", 1, "")), Some(3));
        assert_eq!(image_format(&file("a", 1, "image/jpeg")), Some(1));
        assert_eq!(image_format(&file("a.txt", 1, "image/webp")), Some(255));
        assert_eq!(image_format(&file("a.bmp", 1, "")), Some(4));
        assert_eq!(image_format(&file("a.txt", 1, "text/plain")), None);
        assert_eq!(image_format(&file("a.svg", 1, "image/svg+xml")), None);
        assert_eq!(check_size(&file("a", 0, "")).unwrap_err().code, 2108);
        assert_eq!(
            check_size(&file("a", MAX_FILE_SIZE + 1, ""))
                .unwrap_err()
                .code,
            2402
        );
        assert!(check_size(&file("a", MAX_FILE_SIZE, "")).is_ok());
        assert_eq!(video_format(&file("v.MOV", 1, "")), "mov");
        assert_eq!(video_format(&file("", 1, "video/webm")), "webm");
    }
}
