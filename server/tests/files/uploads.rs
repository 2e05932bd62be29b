//! Uploads: chunks, resumption, limits, cleanup and storing identical content once.

use super::*;

#[tokio::test]
async fn a_chunked_upload_downloads_byte_identical_with_ranges() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let data = bytes(2 * CHUNK + 12_345, 1);
    let upload = alice.start_ok(data.len()).await;
    // Out of order: each chunk lands at its own offset.
    for idx in [2, 0, 1] {
        let r = alice.put(&upload, &data, idx).await;
        assert_eq!(r.status, 200);
    }
    let s = alice.status(&upload).await.json();
    assert_eq!(
        (s["received"].clone(), s["size"].clone()),
        (json!([0, 1, 2]), json!(data.len()))
    );
    let r = alice.complete(&upload).await.json();
    let file_id = r["fileID"].as_str().unwrap().to_owned();
    assert!(
        file_id.bytes().all(|b| b.is_ascii_alphanumeric()),
        "{file_id}"
    );
    assert_eq!(r["url"], format!("/files/{file_id}"));
    // A repeated complete answers the same file.
    assert_eq!(
        alice.complete(&upload).await.json()["fileID"],
        file_id.as_str()
    );

    let full = alice.download(&file_id, None).await;
    assert_eq!(full.status, 200);
    assert_eq!(sha_hex(&full.body), sha_hex(&data), "byte-identical");
    assert_eq!(full.header("content-type"), Some("application/x-test"));
    assert_eq!(
        full.header("content-length"),
        Some(data.len().to_string().as_str())
    );
    assert_eq!(full.header("accept-ranges"), Some("bytes"));

    let part = alice
        .download(&file_id, Some("bytes=4194300-4194309"))
        .await;
    assert_eq!(part.status, 206);
    assert_eq!(part.body, &data[4_194_300..4_194_310]);
    let range = format!("bytes 4194300-4194309/{}", data.len());
    assert_eq!(part.header("content-range"), Some(range.as_str()));
    assert_eq!(part.header("content-length"), Some("10"));
    let tail = alice.download(&file_id, Some("bytes=-5")).await;
    assert_eq!(
        (tail.status, tail.body.as_slice()),
        (206, &data[data.len() - 5..])
    );
    let beyond = alice
        .download(&file_id, Some(&format!("bytes={}-", data.len())))
        .await;
    assert_eq!(beyond.status, 416);
    assert_eq!(
        beyond.header("content-range"),
        Some(format!("bytes */{}", data.len()).as_str())
    );

    // Stored content-addressed, the temp file gone.
    let sha = sha_hex(&data);
    let blob = server
        .config
        .data_dir
        .join("blobs")
        .join(&sha[..2])
        .join(&sha[2..]);
    assert_eq!(std::fs::read(blob).unwrap().len(), data.len());
    assert_eq!(
        std::fs::read_dir(server.config.data_dir.join("uploads"))
            .unwrap()
            .count(),
        0
    );
    assert_eq!(
        debug(&server, &format!("/debug/uploads/{upload}")).await["complete"],
        true
    );
}

#[tokio::test]
async fn bad_chunks_are_refused_and_not_stored() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let data = bytes(CHUNK + 100, 2);
    let upload = alice.start_ok(data.len()).await;
    let first = &data[..CHUNK];
    let last = &data[CHUNK..];

    let wrong_hash = alice.put_raw(&upload, 0, first, &sha_hex(b"other")).await;
    assert_eq!(
        (wrong_hash.status, wrong_hash.json()["code"].clone()),
        (400, json!(codes::FILE_UPLOAD_FAIL))
    );
    let short = alice
        .put_raw(&upload, 1, &last[..99], &sha_hex(&last[..99]))
        .await;
    assert_eq!(short.status, 400);
    let mut long = last.to_vec();
    long.push(0);
    let long = alice.put_raw(&upload, 1, &long, &sha_hex(&long)).await;
    assert_eq!(long.status, 400);
    let no_hash = alice.put_raw(&upload, 1, last, "").await;
    assert_eq!(no_hash.status, 400);
    let past_end = alice.put_raw(&upload, 2, last, &sha_hex(last)).await;
    assert_eq!(past_end.status, 400);

    assert_eq!(alice.status(&upload).await.json()["received"], json!([]));
    assert_eq!(debug(&server, "/debug/uploads").await["chunkBytes"], 0);
    assert_eq!(
        debug(&server, &format!("/debug/uploads/{upload}")).await["chunkWrites"],
        json!([0, 0])
    );
    let r = alice.complete(&upload).await;
    assert_eq!(
        (r.status, r.json()["missing"].clone()),
        (409, json!([0, 1]))
    );

    // A body longer than a whole chunk is refused while streaming, the rest never read.
    let huge = vec![7u8; 3 * CHUNK];
    let r = alice.put_raw(&upload, 0, &huge, &sha_hex(&huge)).await;
    assert_eq!(r.status, 400);
    assert_eq!(alice.status(&upload).await.json()["received"], json!([]));
}

#[tokio::test]
async fn a_re_put_is_idempotent_and_complete_names_missing_chunks() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let data = bytes(3 * CHUNK, 3);
    let upload = alice.start_ok(data.len()).await;
    for _ in 0..2 {
        let r = alice.put(&upload, &data, 1).await;
        assert_eq!((r.status, r.json()["received"].clone()), (200, json!(1)));
    }
    let w = debug(&server, &format!("/debug/uploads/{upload}")).await;
    assert_eq!(w["chunkWrites"], json!([0, 1, 0]), "written once");
    assert_eq!(w["complete"], false);
    let r = alice.complete(&upload).await;
    assert_eq!(r.status, 409);
    assert_eq!(r.json()["code"], codes::FILE_UPLOAD_FAIL);
    assert_eq!(r.json()["missing"], json!([0, 2]));
}

#[tokio::test]
async fn an_interrupted_upload_resumes_where_it_stopped_even_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = TestServer::start_with(config(dir.path())).await;
    let alice = user(&server, "alice").await;
    let data = bytes(3 * CHUNK + 1, 4);
    let upload = alice.start_ok(data.len()).await;
    fault(&server, 1, 1).await;
    assert_eq!(alice.put(&upload, &data, 0).await.status, 200);
    assert_eq!(
        alice.put(&upload, &data, 1).await.status,
        503,
        "injected fault"
    );
    assert_eq!(alice.put(&upload, &data, 2).await.status, 200);
    assert_eq!(
        alice.status(&upload).await.json()["received"],
        json!([0, 2])
    );

    // The session is in SQLite and the temp file on disk: a restart keeps both.
    server.stop().await;
    let server = TestServer::start_with(config(dir.path())).await;
    let alice = user(&server, "alice").await;
    assert_eq!(
        alice.status(&upload).await.json()["received"],
        json!([0, 2])
    );
    for idx in [1, 3] {
        assert_eq!(alice.put(&upload, &data, idx).await.status, 200);
    }
    let file_id = alice.complete(&upload).await.json()["fileID"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        sha_hex(&alice.download(&file_id, None).await.body),
        sha_hex(&data)
    );
    // Counted since this start: chunks 1 and 3 once each, nothing rewritten.
    let w = debug(&server, &format!("/debug/uploads/{upload}")).await;
    assert_eq!(w["chunkWrites"], json!([0, 1, 0, 1]));
}

#[tokio::test]
async fn size_limits_refuse_before_any_byte() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let r = alice
        .start(104_857_601, "big.bin", "application/octet-stream")
        .await;
    assert_eq!(
        (r.status, r.json()["code"].clone()),
        (413, json!(codes::FILE_SIZE_LIMIT))
    );
    let r = alice
        .start(0, "empty.bin", "application/octet-stream")
        .await;
    assert_eq!(
        (r.status, r.json()["code"].clone()),
        (400, json!(codes::FILE_IS_EMPTY))
    );
    assert_eq!(
        alice.start(104_857_600, "max.bin", "").await.status,
        200,
        "the limit itself is allowed"
    );
    let d = debug(&server, "/debug/uploads").await;
    assert_eq!(
        (d["sessions"].clone(), d["chunkBytes"].clone()),
        (json!(1), json!(0))
    );

    let small = TestServer::start_tweaked(|c| c.max_file_size = 1000).await;
    let bob = user(&small, "bob").await;
    assert_eq!(
        bob.start(1001, "x", "").await.status,
        413,
        "--max-file-size is honoured"
    );
    assert_eq!(bob.start(1000, "x", "").await.status, 200);
}

#[tokio::test]
async fn expired_incomplete_uploads_are_cleaned_up() {
    // A TTL no run of this test outlives, and sweeps at a chosen clock: expiry is decided by
    // the clock the sweep is given, never by how long the machine took to get here.
    const TTL: u64 = 3_600;
    let server = TestServer::start_tweaked(|c| c.upload_ttl = Duration::from_secs(TTL)).await;
    let alice = user(&server, "alice").await;
    let data = bytes(CHUNK + 10, 10);
    let started = now(); // the session's creation time is at least this
    let upload = alice.start_ok(data.len()).await;
    assert_eq!(alice.put(&upload, &data, 0).await.status, 200);
    let temp = server
        .config
        .data_dir
        .join("uploads")
        .join(format!("{upload}.part"));
    assert!(temp.exists());
    assert_eq!(debug(&server, "/debug/uploads").await["sessions"], 1);
    // Within the TTL (now, and its last second): kept.
    for at in [now(), started + TTL] {
        assert_eq!(sweep(&server, at).await, 0, "swept at {at}");
        assert_eq!(debug(&server, "/debug/uploads").await["sessions"], 1);
        assert!(temp.exists(), "temp file kept at {at}");
        assert_eq!(alice.status(&upload).await.status, 200);
    }
    // Past it: the session and its temp file go.
    assert_eq!(sweep(&server, now() + TTL + 1).await, 1);
    assert_eq!(debug(&server, "/debug/uploads").await["sessions"], 0);
    assert!(!temp.exists(), "temp file deleted");
    assert_eq!(alice.status(&upload).await.status, 404);
}

/// One cleanup sweep as if the server's clock read `at`; returns how many sessions it deleted.
async fn sweep(server: &TestServer, at: u64) -> u64 {
    let body = json!({ "now": at }).to_string();
    let (status, _, body) = http(server.addr, "POST", "/debug/upload-sweep", &body).await;
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    v["deleted"].as_u64().expect("deleted")
}

#[tokio::test]
async fn identical_content_is_stored_once() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let data = bytes(CHUNK + 1, 11);
    let a = alice.upload(&data).await;
    let b = bob.upload(&data).await;
    assert_ne!(a, b, "each upload is its own file");
    assert_eq!(blob_count(&server), 1, "one blob");
    assert_eq!(
        sha_hex(&alice.download(&a, None).await.body),
        sha_hex(&data)
    );
    assert_eq!(sha_hex(&bob.download(&b, None).await.body), sha_hex(&data));
    assert!(!bob.can_read(&a).await, "dedup does not share access");
}

/// Upload throughput of the server alone (no browser): chunked upload vs the plain sink.
/// `cargo test -p tim-server --test files -- --ignored --nocapture`
#[tokio::test(flavor = "multi_thread")]
#[ignore]
async fn bench_upload_throughput() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let data = bytes(50 * 1024 * 1024, 17);
    let t = std::time::Instant::now();
    let r = req(server.addr, "POST", "/debug/sink", &[], &data).await;
    assert_eq!(r.status, 200);
    let sink = t.elapsed();
    let t = std::time::Instant::now();
    alice.upload(&data).await;
    let chunked = t.elapsed();
    let mb = |d: Duration| 50.0 / d.as_secs_f64();
    println!(
        "sink {:.0} MB/s, chunked upload {:.0} MB/s ({:.2}x)",
        mb(sink),
        mb(chunked),
        sink.as_secs_f64() / chunked.as_secs_f64()
    );
}

#[tokio::test]
async fn a_chunk_whose_bytes_were_lost_is_reported_missing_at_completion() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let data = bytes(2 * CHUNK, 18);
    let upload = alice.start_ok(data.len()).await;
    for idx in 0..2 {
        assert_eq!(alice.put(&upload, &data, idx).await.status, 200);
    }
    // Chunks are not fsynced one by one: simulate a crash that lost chunk 1's bytes.
    let temp = server
        .config
        .data_dir
        .join("uploads")
        .join(format!("{upload}.part"));
    {
        use std::os::unix::fs::FileExt;
        let f = std::fs::OpenOptions::new().write(true).open(&temp).unwrap();
        f.write_all_at(&[0; 64], CHUNK as u64 + 1000).unwrap();
    }
    let r = alice.complete(&upload).await;
    assert_eq!((r.status, r.json()["missing"].clone()), (409, json!([1])));
    assert_eq!(alice.status(&upload).await.json()["received"], json!([0]));
    assert_eq!(alice.put(&upload, &data, 1).await.status, 200);
    let file_id = alice.complete(&upload).await.json()["fileID"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        sha_hex(&alice.download(&file_id, None).await.body),
        sha_hex(&data)
    );
}
