//! The creators of rich messages: file messages (whose files the adapter uploads at send, then
//! hands back the finished content with [`Core::fill_draft`]), forwards and mergers.

use tim_protocol::{Content, MergedMessage, Message};

use super::create::{build_view, content_of, envelope, Envelope, Stamp};
use super::files::{check_size, image_format, video_format, FileUrls, PickedFile};
use super::*;

impl Core {
    /// A fresh message identity: sender, random and a unique ID.
    pub(super) fn stamp(&mut self, now_ms: u64) -> (String, u32, String) {
        let from = self.user_id().unwrap_or("").to_owned();
        let random = self.rng.next_u32();
        self.msg_counter = self.msg_counter.wrapping_add(1);
        let id = format!("{from}-{now_ms}-{random:08x}-{}", self.msg_counter);
        (from, random, id)
    }

    fn files(&self) -> FileUrls {
        self.session
            .as_ref()
            .map(|s| s.convs.files.clone())
            .unwrap_or_default()
    }

    fn keep_draft(
        &mut self,
        env: Envelope,
        content: Content,
        options: &CreateMessageOptions,
        now_ms: u64,
    ) -> MessageView {
        let (from, random, id) = self.stamp(now_ms);
        let stamp = Stamp {
            from: &from,
            now_ms,
            random,
            id,
        };
        let view = build_view(env, &content, options, stamp, &self.files());
        self.drafts.keep_with(view.clone(), Some(content));
        view
    }

    /// The content of a message this instance knows: stored, saved locally or created here.
    fn known_content(&self, id: &str) -> Option<&Message> {
        let s = self.session.as_ref()?;
        s.convs.store.get(id).or_else(|| s.local.get(id))
    }

    /// `createImageMessage` & co.: checks the options and the picked file (size, image type)
    /// and returns the `unSend` message with the content to complete once uploaded (its URLs
    /// still empty).
    pub fn create_file_message(
        &mut self,
        kind: FileKind,
        options: CreateMessageOptions,
        file: &PickedFile,
        now_ms: u64,
    ) -> Result<(MessageView, Content), SdkError> {
        let env = envelope(&options)?;
        let format = match kind {
            FileKind::Image => Some(image_format(file).ok_or_else(|| {
                SdkError::new(
                    codes::MESSAGE_IMAGE_TYPES_LIMIT,
                    "only jpg, jpeg, gif, png, bmp and webp images can be sent",
                )
            })?),
            _ => None,
        };
        check_size(file)?;
        let content = match kind {
            FileKind::Image => Content::Image {
                uuid: String::new(),
                image_format: format.unwrap_or(255),
                image_info_array: Vec::new(),
            },
            FileKind::File => Content::File {
                uuid: String::new(),
                file_name: file.name.clone(),
                file_size: file.size,
                file_url: String::new(),
            },
            FileKind::Video => Content::Video {
                video_uuid: String::new(),
                video_url: String::new(),
                video_size: file.size,
                video_second: 0,
                video_format: video_format(file),
                thumb_uuid: String::new(),
                thumb_url: String::new(),
                thumb_width: 0,
                thumb_height: 0,
                thumb_size: 0,
            },
            FileKind::Audio => Content::Sound {
                uuid: String::new(),
                url: String::new(),
                size: file.size,
                second: 0,
            },
        };
        let view = self.keep_draft(env, content.clone(), &options, now_ms);
        Ok((view, content))
    }

    /// `createForwardMessage`: a new `unSend` message to `options.to` with the content of
    /// `message` (files are not copied: the server lets the recipients read them once sent).
    pub fn create_forward_message(
        &mut self,
        message: &MessageView,
        mut options: CreateMessageOptions,
        now_ms: u64,
    ) -> Result<MessageView, SdkError> {
        let env = envelope(&options)?;
        let known = self.known_content(&message.id).map(|m| m.content.clone());
        let content = match known.or_else(|| self.drafts.content(&message.id).cloned()) {
            Some(c) => c,
            None => content_of(&message.msg_type, &message.payload)
                .map_err(|e| SdkError::new(codes::MESSAGE_FORWARD_TYPE_INVALID, e.message))?,
        };
        if options.cloud_custom_data.is_none() {
            options.cloud_custom_data = Some(message.cloud_custom_data.clone());
        }
        Ok(self.keep_draft(env, content, &options, now_ms))
    }

    /// `createMergerMessage`: the listed messages must be known here (sent, received or
    /// fetched by this instance); each keeps its sender, time and content.
    pub fn create_merger_message(
        &mut self,
        options: CreateMessageOptions,
        now_ms: u64,
    ) -> Result<(MessageView, Content), SdkError> {
        let env = envelope(&options)?;
        let bad = |m: &str| SdkError::new(codes::MESSAGE_MERGER_TYPE_INVALID, m);
        let input = options.merger.clone().unwrap_or_default();
        if input.message_list.is_empty() {
            return Err(bad("messageList must hold at least one message"));
        }
        if input.compatible_text.is_empty() {
            return Err(bad("compatibleText is required"));
        }
        let mut message_list = Vec::with_capacity(input.message_list.len());
        for id in &input.message_list {
            let m = self
                .known_content(id)
                .filter(|m| m.conv_type != tim_protocol::ConvType::System)
                .ok_or_else(|| bad("messageList holds a message this instance has not sent, received or fetched"))?;
            message_list.push(MergedMessage {
                id: m.id.clone(),
                from: m.from.clone(),
                nick: m.nick.clone(),
                avatar: m.avatar.clone(),
                time: m.time,
                content: m.content.clone(),
            });
        }
        let content = Content::Merger {
            title: input.title,
            abstract_list: input.abstract_list,
            compatible_text: input.compatible_text,
            message_list,
            download_key: String::new(),
            layers_over_limit: false,
        };
        let view = self.keep_draft(env, content.clone(), &options, now_ms);
        Ok((view, content))
    }

    /// A created file or merger message once its files are uploaded: the draft's content
    /// filled in with them ([`super::files::fill`]), kept as what `sendMessage` sends, and
    /// `view` with that payload (URLs shown absolute). Fails when the draft is gone (more than
    /// `MAX_DRAFTS` messages were created meanwhile): create the message again.
    pub fn fill_draft(
        &mut self,
        mut view: MessageView,
        uploads: &[Uploaded],
        second: u32,
    ) -> Result<MessageView, SdkError> {
        let Some(mut content) = self.drafts.content(&view.id).cloned() else {
            let e = SdkError::new(
                codes::INVALID_OPERATION,
                "the message is no longer known: create it again",
            );
            return Err(e);
        };
        super::files::fill(&mut content, uploads, second);
        let (_, payload) = views::content_to_payload(&content, &self.files());
        view.payload = payload;
        self.drafts.keep_with(view.clone(), Some(content));
        Ok(view)
    }

    /// A downloaded merger list as JavaScript sees it.
    pub fn merged_views(&self, list: &[MergedMessage]) -> Vec<MergedView> {
        let files = self.files();
        list.iter().map(|m| views::merged_view(m, &files)).collect()
    }

    /// Where files go and this user's token, once logged in.
    pub fn file_urls(&self) -> Option<FileUrls> {
        let files = self.session.as_ref()?.convs.files.clone();
        (!files.token.is_empty()).then_some(files)
    }
}
