//! File URLs, the checks of the file creators and the rules of the upload before a send
//! (which merger lists are uploaded, how a failed upload rejects). Contents carry
//! server-relative URLs (`/files/<id>`); JavaScript sees absolute ones with this user's
//! download token. Contents are never read back from the URLs JavaScript holds: sends,
//! forwards and mergers use the content this instance stored or created.

use tim_protocol::{Content, ImageInfo, FILE_URL_PREFIX};

use super::codes;
use super::types::{MessageStatus, MessageView, SdkError, Shown};
use super::views::{MSG_SOUND, MSG_VIDEO};
use super::Core;

/// The largest file the SDK uploads (the server has its own, configurable, limit).
pub const MAX_FILE_SIZE: u64 = 100 * 1024 * 1024;

/// The longest merger list, in UTF-16 units of JSON (JavaScript's `length`), that travels in
/// the message itself; a longer one is uploaded so the message stays small.
pub const MERGER_INLINE_MAX: usize = 8192;

/// The upload step before a file message's send: what the adapter uploads, how it fails. The
/// adapter runs the upload; these say what it does and what the caller then sees.
impl Core {
    /// Whether a merger whose list is `list_json_len` UTF-16 units of JSON uploads it (as a
    /// file whose ID becomes the `downloadKey`, see [`fill`]) rather than carrying it inline.
    pub fn merger_uploads_list(list_json_len: usize) -> bool {
        list_json_len > MERGER_INLINE_MAX
    }

    /// `sendMessage` of a file message whose upload failed (`why`): rejected with the code the
    /// server refused the upload with (`refused`, 0 meaning none), else its type's upload code,
    /// and the message left `fail` (`resendMessage` resumes the upload).
    pub fn upload_failed(view: &MessageView, refused: Option<u32>, why: &str) -> (SdkError, Shown) {
        let code = match (refused, view.msg_type.as_str()) {
            (Some(code), _) if code != 0 => code,
            (_, MSG_VIDEO) => codes::MESSAGE_VIDEO_UPLOAD_FAIL,
            (_, MSG_SOUND) => codes::MESSAGE_AUDIO_UPLOAD_FAIL,
            _ => codes::MESSAGE_FILE_UPLOAD_FAIL, // an image, a file, a merger's list
        };
        // push_str, not concat(): the generic join costs ~300 B of gzipped wasm.
        let mut message = String::from("upload failed: ");
        message.push_str(why);
        Core::upload_stopped(SdkError::new(code, message))
    }

    /// Anything else that stops the upload step (no file token, the instance destroyed, the
    /// draft gone): rejected with `err`, the message left `fail` all the same.
    pub fn upload_stopped(err: SdkError) -> (SdkError, Shown) {
        (err, Shown::Status(MessageStatus::Fail))
    }
}

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

/// One file the server stored for a message: the upload's result with the sizes the page
/// measured (`width`/`height` of an image or thumbnail, else 0).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Uploaded {
    /// The file ID.
    pub file_id: String,
    /// Server-relative URL.
    pub url: String,
    /// Bytes.
    pub size: u64,
    /// Pixels.
    pub width: u32,
    /// Pixels.
    pub height: u32,
}

/// Fills the content of a file message in with what was uploaded for it, in the order the
/// adapter uploads: an image's original, large and thumbnail; a video and its thumbnail (if one
/// could be made); a sound, a file, or a merger's long list (then sent as a file, the list
/// emptied). `second` is a video's or sound's duration. Nothing uploaded: left as it is (a
/// merger list short enough to travel inline).
pub(super) fn fill(content: &mut Content, uploads: &[Uploaded], second: u32) {
    let Some(first) = uploads.first() else {
        return;
    };
    let id = first.file_id.clone();
    match content {
        Content::Image {
            uuid,
            image_info_array,
            ..
        } => {
            *uuid = id;
            image_info_array.clear();
            // tim-js-sdk's types: 0 original, 2 large, 1 thumbnail, in upload order.
            for (i, u) in uploads.iter().take(3).enumerate() {
                image_info_array.push(ImageInfo {
                    width: u.width,
                    height: u.height,
                    size: u.size,
                    url: u.url.clone(),
                    kind: [0, 2, 1][i],
                });
            }
        }
        Content::Video {
            video_uuid,
            video_url,
            video_size,
            video_second,
            thumb_uuid,
            thumb_url,
            thumb_width,
            thumb_height,
            thumb_size,
            ..
        } => {
            (*video_uuid, *video_url, *video_size) = (id, first.url.clone(), first.size);
            *video_second = second;
            if let Some(t) = uploads.get(1) {
                (*thumb_uuid, *thumb_url) = (t.file_id.clone(), t.url.clone());
                (*thumb_width, *thumb_height, *thumb_size) = (t.width, t.height, t.size);
            }
        }
        Content::Sound {
            uuid,
            url,
            size,
            second: s,
        } => {
            (*uuid, *url, *size, *s) = (id, first.url.clone(), first.size, second);
        }
        Content::File {
            uuid,
            file_size,
            file_url,
            ..
        } => {
            (*uuid, *file_url, *file_size) = (id, first.url.clone(), first.size);
        }
        Content::Merger {
            message_list,
            download_key,
            ..
        } => {
            *download_key = id;
            message_list.clear();
        }
        _ => {}
    }
}

/// [`fill`] of `shell`, returned.
#[cfg(test)]
fn filled(mut shell: Content, uploads: &[Uploaded], second: u32) -> Content {
    fill(&mut shell, uploads, second);
    shell
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

    fn up(id: &str, size: u64, w: u32) -> Uploaded {
        Uploaded {
            file_id: id.into(),
            url: format!("{FILE_URL_PREFIX}{id}"),
            size,
            width: w,
            height: w + 1,
        }
    }

    #[test]
    fn an_image_gets_its_three_sizes_in_tim_js_sdk_types() {
        let shell = Content::Image {
            uuid: String::new(),
            image_format: 3,
            image_info_array: vec![],
        };
        let ups = [up("o", 30, 1000), up("l", 20, 720), up("t", 10, 198)];
        match filled(shell, &ups, 0) {
            Content::Image {
                uuid,
                image_format,
                image_info_array,
            } => {
                assert_eq!((uuid.as_str(), image_format), ("o", 3));
                let got: Vec<(u32, u32, u64, u32)> = image_info_array
                    .iter()
                    .map(|i| (i.width, i.height, i.size, i.kind))
                    .collect();
                assert_eq!(
                    got,
                    vec![(1000, 1001, 30, 0), (720, 721, 20, 2), (198, 199, 10, 1)]
                );
                assert_eq!(image_info_array[2].url, format!("{FILE_URL_PREFIX}t"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn video_sound_file_and_merger_take_their_upload() {
        let video = Content::Video {
            video_uuid: String::new(),
            video_url: String::new(),
            video_size: 0,
            video_second: 0,
            video_format: "mp4".into(),
            thumb_uuid: String::new(),
            thumb_url: String::new(),
            thumb_width: 0,
            thumb_height: 0,
            thumb_size: 0,
        };
        let with_thumb = filled(video.clone(), &[up("v", 99, 0), up("th", 5, 720)], 7);
        assert_eq!(
            with_thumb,
            Content::Video {
                video_uuid: "v".into(),
                video_url: format!("{FILE_URL_PREFIX}v"),
                video_size: 99,
                video_second: 7,
                video_format: "mp4".into(),
                thumb_uuid: "th".into(),
                thumb_url: format!("{FILE_URL_PREFIX}th"),
                thumb_width: 720,
                thumb_height: 721,
                thumb_size: 5,
            }
        );
        match filled(video, &[up("v", 99, 0)], 7) {
            Content::Video {
                thumb_uuid,
                thumb_url,
                ..
            } => {
                assert_eq!(
                    (thumb_uuid.as_str(), thumb_url.as_str()),
                    ("", ""),
                    "no thumbnail"
                );
            }
            other => panic!("{other:?}"),
        }
        let sound = Content::Sound {
            uuid: String::new(),
            url: String::new(),
            size: 0,
            second: 0,
        };
        assert_eq!(
            filled(sound, &[up("s", 3, 0)], 4),
            Content::Sound {
                uuid: "s".into(),
                url: format!("{FILE_URL_PREFIX}s"),
                size: 3,
                second: 4,
            }
        );
        let file = Content::File {
            uuid: String::new(),
            file_name: "a.pdf".into(),
            file_size: 0,
            file_url: String::new(),
        };
        assert_eq!(
            filled(file, &[up("f", 8, 0)], 0),
            Content::File {
                uuid: "f".into(),
                file_name: "a.pdf".into(),
                file_size: 8,
                file_url: format!("{FILE_URL_PREFIX}f"),
            }
        );
        let merger = Content::Merger {
            title: "t".into(),
            abstract_list: vec!["a".into()],
            compatible_text: "c".into(),
            message_list: vec![],
            download_key: String::new(),
            layers_over_limit: true,
        };
        assert_eq!(filled(merger.clone(), &[], 0), merger, "inline: as it is");
        match filled(merger, &[up("list", 9000, 0)], 0) {
            Content::Merger {
                download_key,
                message_list,
                layers_over_limit,
                title,
                ..
            } => {
                assert_eq!((download_key.as_str(), title.as_str()), ("list", "t"));
                assert!(message_list.is_empty() && layers_over_limit);
            }
            other => panic!("{other:?}"),
        }
    }

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
