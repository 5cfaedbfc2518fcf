"""Trial 5: a store that cannot keep anything says so before a run, in words a user can act on.

- A bucket that does not exist: `flowlike run --store` ran and lost the record (a RuntimeWarning about "Access
  Denied"), `flowlike runs` said "no run has been recorded there", app.save said "Access Denied", app.boards()
  and store.apps() gave [].
- An S3 endpoint given by the environment (AWS_ENDPOINT_URL=http://...): runs were kept, then `flowlike runs`
  failed with LanceDB's "BadScheme" traceback (LanceDB was not told it may speak plain HTTP).
- Credentials set after a first try without them (in a notebook: os.environ, then configure again): the second
  try still failed with NoCredentialsError, fsspec handing back the filesystem cached by the first.
- A damaged run history table (a data file of it lost): a LanceDB traceback full of Rust source paths.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from test_history import board_saying

from flowlike_core import Registry
from flowlike_core.cli import main
from flowlike_core.errors import StorageError
from flowlike_core.storage import Storage, StorageConfig

LOOP = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"
MISSING = "flowlike-trial5-no-such-bucket"


@pytest.fixture
def missing_bucket(seaweedfs: dict, tmp_path: Path) -> Path:
    """A config file naming a bucket the (running) S3 server does not have."""
    path = tmp_path / "typo.json"
    root = f"s3://{MISSING}/data"
    path.write_text(json.dumps({"meta_url": f"{root}/meta", "content_url": f"{root}/content",
                                "options": seaweedfs["options"]}))
    return path


@pytest.mark.s3
def test_a_bucket_that_does_not_exist_stops_the_commands(missing_bucket: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    board = shutil.copy(LOOP, tmp_path / "loop.board.json")
    said = f"bucket {MISSING!r} does not exist"
    assert main(["run", str(board), "--store", str(missing_bucket)]) == 2
    err = capsys.readouterr().err
    assert said in err and "fix --store or pass --no-history" in err and "Success" not in err
    assert main(["runs", "--store", str(missing_bucket)]) == 2
    assert said in capsys.readouterr().err


@pytest.mark.s3
def test_a_bucket_that_does_not_exist_is_named_by_boards_and_saves(missing_bucket: Path, registry: Registry) -> None:
    store = Storage(StorageConfig.load(str(missing_bucket)))
    said = f"bucket {MISSING!r} does not exist"
    with pytest.raises(StorageError, match=said):
        store.app("demo").save(board_saying("alpha"))
    with pytest.raises(StorageError, match=said):
        store.app("demo").boards()
    with pytest.raises(StorageError, match=said):
        store.apps()
    with pytest.raises(StorageError, match=said):
        store.record(board_saying("alpha").run(registry=registry))


@pytest.mark.s3
def test_an_endpoint_from_the_environment_serves_the_run_history(seaweedfs: dict, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", seaweedfs["options"]["key"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", seaweedfs["options"]["secret"])
    monkeypatch.setenv("AWS_ENDPOINT_URL", seaweedfs["endpoint"])
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    root = f"s3://{seaweedfs['bucket']}/{tmp_path.name}"
    board = shutil.copy(LOOP, tmp_path / "loop.board.json")
    assert main(["run", str(board), "--store", root, "--json"]) == 0
    run_id = json.loads(capsys.readouterr().out)["id"]
    assert main(["runs", "--store", root, "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [run_id]


@pytest.mark.s3
def test_credentials_set_after_a_failed_try_are_used(seaweedfs: dict, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ENDPOINT_URL", seaweedfs["endpoint"])
    root = f"s3://{seaweedfs['bucket']}/{tmp_path.name}"
    with pytest.raises(StorageError, match="NoCredentialsError"):
        Storage(StorageConfig.at(root)).runs.exists()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", seaweedfs["options"]["key"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", seaweedfs["options"]["secret"])
    assert Storage(StorageConfig.at(root)).runs.exists() is False


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_a_damaged_run_history_table_is_named(store: Storage, registry: Registry,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    store.runs.append(board_saying("alpha").run(registry=registry).record())
    store.runs.fold()
    for data in Path(store.runs.uri, "runs.lance", "data").iterdir():
        data.unlink()
    with pytest.raises(StorageError, match=f"the run history table in {store.runs.uri} cannot be read") as caught:
        store.runs.query()
    assert "rustc" not in str(caught.value) and "runs.lance/data/" in str(caught.value)
    assert main(["runs", "--store", str(Path(store.config.content_url).parent)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("flowlike: error: the run history table in")


def test_a_run_the_store_could_not_keep_is_named_with_the_store(registry: Registry, monkeypatch: pytest.MonkeyPatch,
                                                                 closed_port: int) -> None:
    """An S3 server that is down, in a notebook: the warning said only "listener _Recorder.finished failed: Could not
    connect to the endpoint URL ..." (botocore's error passed through the bucket unnamed)."""
    from flowlike_core import storage
    from flowlike_core.storage import store as store_module

    monkeypatch.setattr(store_module, "_current", store_module._current)  # put back after the test

    closed = closed_port
    options = {"key": "k", "secret": "s", "client_kwargs": {"endpoint_url": f"http://127.0.0.1:{closed}"},
               "config_kwargs": {"retries": {"max_attempts": 1}, "connect_timeout": 2}}
    storage.configure("s3://flowlike-tests/down", **options)
    with pytest.warns(RuntimeWarning, match=r"run (\w+) was not kept in the run history at s3://flowlike-tests/down/"
                                            r"content \(cannot write 'history/pending/\w+\.json' to s3://flowlike-tests/"
                                            r"down/content: EndpointConnectionError.*\); it waits in "):
        run = board_saying("alpha").run(registry=registry)
    assert run.status == "Success"


def test_a_run_neither_the_store_nor_the_spool_could_keep_says_it_is_lost(registry: Registry, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch,
                                                                          closed_port: int) -> None:
    from flowlike_core import storage
    from flowlike_core.storage import store as store_module
    from flowlike_core.storage.spool import ENV_SPOOL

    monkeypatch.setattr(store_module, "_current", store_module._current)
    (tmp_path / "not-a-folder").write_text("")
    monkeypatch.setenv(ENV_SPOOL, str(tmp_path / "not-a-folder"))
    options = {"key": "k", "secret": "s", "client_kwargs": {"endpoint_url": f"http://127.0.0.1:{closed_port}"},
               "config_kwargs": {"retries": {"max_attempts": 1}, "connect_timeout": 2}}
    storage.configure("s3://flowlike-tests/down", **options)
    with pytest.warns(RuntimeWarning, match=r"was not kept in the run history at s3://flowlike-tests/down/content "
                                            r"\(cannot write .*\), nor in the spool .*not-a-folder/\w+ \(.*\): its "
                                            r"record is lost"):
        run = board_saying("alpha").run(registry=registry)
    assert run.status == "Success"


def test_flowlike_runs_of_a_store_that_is_down_names_the_runs_waiting_for_it(
        registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], closed_port: int) -> None:
    from flowlike_core import storage
    from flowlike_core.storage import store as store_module

    monkeypatch.setattr(store_module, "_current", store_module._current)
    options = {"key": "k", "secret": "s", "client_kwargs": {"endpoint_url": f"http://127.0.0.1:{closed_port}"},
               "config_kwargs": {"retries": {"max_attempts": 1}, "connect_timeout": 2}}
    config = tmp_path / "down.json"
    root = "s3://flowlike-tests/down"
    config.write_text(json.dumps({"meta_url": f"{root}/meta", "content_url": f"{root}/content", "options": options}))
    storage.configure(str(config))
    with pytest.warns(RuntimeWarning, match="waits in"):
        board_saying("alpha").run(registry=registry)
    assert main(["runs", "--store", str(config)]) == 2
    assert "EndpointConnectionError" in (err := capsys.readouterr().err)
    assert re.search(r"; waiting in \S+ to go up once it answers: 1 run that ended while it was down$", err, re.M), err
