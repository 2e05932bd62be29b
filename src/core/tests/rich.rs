//! File, forward and merger messages in the core: creation checks, the draft content that
//! `sendMessage` sends (never URLs read back from JavaScript), absolute URLs in views.

use tim_protocol::req;
use tim_protocol::Request;

use super::harness::*;
use super::messaging::{incoming, ready};
use crate::core::*;
use tim_protocol::Content;

fn to(user: &str) -> CreateMessageOptions {
    CreateMessageOptions {
        to: Some(user.into()),
        conversation_type: Some("C2C".into()),
        ..Default::default()
    }
}

fn picked(name: &str, size: u64, mime: &str) -> PickedFile {
    PickedFile {
        name: name.into(),
        size,
        mime: mime.into(),
    }
}

/// The content of the last message this client put on the wire.
fn last_sent(c: &Client) -> Content {
    let mut sends = c.log.iter().filter_map(|o| match o {
        Output::Transmit(f) => match &f.req {
            Request::Send(req::Send { message }) => Some(message.content.clone()),
            _ => None,
        },
        _ => None,
    });
    sends.next_back().expect("a message was sent")
}

#[test]
fn file_creators_check_before_anything_is_uploaded() {
    let (_srv, mut c) = ready("alice");
    let code = |r: Result<(MessageView, Content), SdkError>| r.err().map(|e| e.code);
    let mut make = |kind, file: PickedFile, opts| c.core.create_file_message(kind, opts, &file, 0);
    let big = MAX_FILE_SIZE + 1;
    assert_eq!(
        code(make(FileKind::File, picked("a", big, ""), to("bob"))),
        Some(2402)
    );
    assert_eq!(
        code(make(FileKind::Video, picked("a", 0, ""), to("bob"))),
        Some(2108)
    );
    let txt = picked("a.txt", 3, "text/plain");
    assert_eq!(code(make(FileKind::Image, txt, to("bob"))), Some(2252));
    let png = picked("a.png", 3, "");
    assert_eq!(code(make(FileKind::Image, png.clone(), to(""))), Some(2905));
    let (view, content) = make(FileKind::Image, png, to("bob")).expect("image");
    assert_eq!(
        (view.msg_type.as_str(), view.status.as_str()),
        ("TIMImageElem", "unSend")
    );
    assert!(matches!(
        content,
        Content::Image {
            image_format: 3,
            ..
        }
    ));
}

#[test]
fn a_file_message_sends_its_uploaded_content_and_shows_absolute_urls() {
    let (mut srv, mut c) = ready("alice");
    let (view, content) = c
        .core
        .create_file_message(FileKind::File, to("bob"), &picked("r.bin", 7, ""), c.now)
        .expect("file");
    // Not uploaded yet: refused, nothing on the wire.
    let op = c.cmd(Command::SendMessage(view.clone()));
    assert!(transmits(&c.drain()).is_empty());
    assert_eq!(c.code(op), Some(2403));
    assert_eq!(
        c.core.find_message(&view.id).map(|v| v.status),
        Some(MessageStatus::Fail)
    );

    let Content::File { file_name, .. } = content else {
        panic!("{content:?}")
    };
    let uploaded = Content::File {
        uuid: "f1".into(),
        file_name,
        file_size: 7,
        file_url: "/files/f1".into(),
    };
    let upload = Uploaded {
        file_id: "f1".into(),
        url: "/files/f1".into(),
        size: 7,
        ..Uploaded::default()
    };
    let gone = MessageView {
        id: "never-created".into(),
        ..view.clone()
    };
    assert!(
        c.core
            .fill_draft(gone, std::slice::from_ref(&upload), 0)
            .is_err(),
        "no draft, no content"
    );
    let filled = c
        .core
        .fill_draft(view, &[upload], 0)
        .expect("the draft is kept");
    let mut edited = filled.clone();
    // Whatever JavaScript did to the object's payload, the draft's content is sent.
    edited.payload = Payload::default();
    let op = c.cmd(Command::SendMessage(edited));
    c.run(&mut srv);
    assert_eq!(last_sent(&c), uploaded);
    let Some(Ok(Response::Message { message })) = c.result(op) else {
        panic!("{:?}", c.result(op))
    };
    assert_eq!(message.status, MessageStatus::Success);
    let rich = message.payload.rich.as_ref().expect("file fields");
    let url = Val::Str("http://srv:1/files/f1?tk=tok".into());
    assert_eq!(rich.get("fileUrl"), Some(&url));
    let list = c.conversation_list();
    let last = list[0].last_message.as_ref().expect("last message");
    assert_eq!(last.message_for_show, "[File]");
}

#[test]
fn forwards_copy_known_contents_and_refuse_unknown_rich_ones() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "m-bob-1");
    let got = c.received().pop().expect("received");
    let fwd = c
        .core
        .create_forward_message(&got, to("carol"), c.now)
        .expect("forward");
    assert_ne!(fwd.id, got.id);
    assert_eq!(
        (fwd.to.as_str(), fwd.msg_type.as_str()),
        ("carol", "TIMTextElem")
    );
    let op = c.cmd(Command::SendMessage(fwd));
    c.run(&mut srv);
    assert_eq!(last_sent(&c), tim_fake_server::text("m-bob-1"));
    assert_eq!(c.code(op), Some(0));
    let stranger = MessageView {
        id: "nope".into(),
        msg_type: "TIMImageElem".into(),
        ..Default::default()
    };
    let err = c.core.create_forward_message(&stranger, to("carol"), c.now);
    assert_eq!(err.unwrap_err().code, 2453);
}

#[test]
fn mergers_take_known_messages_with_their_sender_and_time() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "m-bob-1");
    let mine = c.text("bob", "C2C", "mine");
    let op = c.cmd(Command::SendMessage(mine.clone()));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
    let merger = |ids: &[&str], compatible: &str| CreateMessageOptions {
        merger: Some(MergerInput {
            title: "t".into(),
            abstract_list: vec!["a".into()],
            compatible_text: compatible.into(),
            message_list: ids.iter().map(|s| s.to_string()).collect(),
        }),
        ..to("carol")
    };
    let code = |r: Result<(MessageView, Content), SdkError>| r.err().map(|e| e.code);
    let now = c.now;
    assert_eq!(
        code(c.core.create_merger_message(merger(&[], "c"), now)),
        Some(2450)
    );
    assert_eq!(
        code(c.core.create_merger_message(merger(&["m-bob-1"], ""), now)),
        Some(2450)
    );
    assert_eq!(
        code(c.core.create_merger_message(merger(&["zzz"], "c"), now)),
        Some(2450)
    );
    let (view, content) = c
        .core
        .create_merger_message(merger(&["m-bob-1", &mine.id], "c"), now)
        .expect("merger");
    let Content::Merger { message_list, .. } = &content else {
        panic!("{content:?}")
    };
    let froms: Vec<&str> = message_list.iter().map(|m| m.from.as_str()).collect();
    assert_eq!(froms, ["bob", "alice"]);
    assert!(message_list.iter().all(|m| m.time > 0));
    let op = c.cmd(Command::SendMessage(view));
    c.run(&mut srv);
    assert_eq!(last_sent(&c), content);
    assert_eq!(c.code(op), Some(0));
}
