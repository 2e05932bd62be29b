//! The codec of every rich content against the protocol's serde.

use super::*;

/// Every file and merger content, nested merger included.
fn rich_contents() -> Vec<tim_protocol::Content> {
    use tim_protocol::{Content, ImageInfo, MergedMessage};
    let image = Content::Image {
        uuid: "i1".into(),
        image_format: 3,
        image_info_array: vec![
            ImageInfo {
                width: 800,
                height: 600,
                size: 12_345,
                url: "/files/i1".into(),
                kind: 0,
            },
            ImageInfo {
                width: 198,
                height: 149,
                size: 999,
                url: "/files/i3".into(),
                kind: 1,
            },
        ],
    };
    let file = Content::File {
        uuid: "f1".into(),
        file_name: "r\"e\u{4f60}.bin".into(),
        file_size: 104_857_600,
        file_url: "/files/f1".into(),
    };
    let video = Content::Video {
        video_uuid: "v1".into(),
        video_url: "/files/v1".into(),
        video_size: 5,
        video_second: 61,
        video_format: "mp4".into(),
        thumb_uuid: "t1".into(),
        thumb_url: "/files/t1".into(),
        thumb_width: 720,
        thumb_height: 405,
        thumb_size: 77,
    };
    let sound = Content::Sound {
        uuid: "s1".into(),
        url: "/files/s1".into(),
        size: 3,
        second: 2,
    };
    let merged = |id: &str, content| MergedMessage {
        id: id.into(),
        from: "alice".into(),
        nick: "Al".into(),
        avatar: String::new(),
        time: 1_700_000_000,
        content,
    };
    let inner = Content::Merger {
        title: "inner".into(),
        abstract_list: vec![],
        compatible_text: "c".into(),
        message_list: vec![merged("m1", sound.clone())],
        download_key: String::new(),
        layers_over_limit: false,
    };
    let outer = Content::Merger {
        title: "outer".into(),
        abstract_list: vec!["a: 1".into(), "b: 2".into()],
        compatible_text: "upgrade".into(),
        message_list: vec![merged("m2", image.clone()), merged("m3", inner)],
        download_key: "k1".into(),
        layers_over_limit: true,
    };
    vec![image, file, video, sound, outer]
}

#[wasm_bindgen_test]
fn rich_contents_encode_as_the_protocol_serializes_them_and_decode_back() {
    use tim_protocol::{Change, ClientFrame, ConvType, Message, Request, ServerFrame};
    use tim_sdk::web::codec;
    for (i, content) in rich_contents().into_iter().enumerate() {
        let frame = ClientFrame {
            id: i as u32,
            req: Request::Modify(tim_protocol::req::Modify {
                conversation_id: "C2Cbob".into(),
                seq: 5,
                version: 1,
                content: content.clone(),
                cloud_custom_data: String::new(),
            }),
        };
        let manual = codec::encode(&frame).expect("encode");
        let serde = js_sys::JSON::stringify(&codec::to_js(&frame).expect("serde")).expect("json");
        assert_eq!(manual.as_string(), serde.as_string(), "content {i}");

        let push = ServerFrame::Push {
            sync_seq: 9,
            message: Message {
                id: format!("m{i}"),
                conv_type: ConvType::C2c,
                from: "alice".into(),
                to: "bob".into(),
                seq: 3,
                time: 1_700_000_001,
                random: 7,
                client_time: 1_700_000_000,
                priority: "Normal".into(),
                content,
                cloud_custom_data: String::new(),
                at_user_list: vec![],
                nick: String::new(),
                avatar: String::new(),
                revoked: false,
                version: 0,
                need_read_receipt: false,
                offline_push_info: String::new(),
            },
            change: Change::New,
        };
        let text = js_sys::JSON::stringify(&codec::to_js(&push).expect("serde")).expect("json");
        let decoded = codec::decode(&text.into()).expect("decode");
        assert_eq!(decoded, push, "content {i}");
    }
}
