"""scripts/env.sh and scripts/setup: the Odoo version comes from the source given, one venv per version, one addons
folder per clone, and no Odoo download — run for real with bash on throwaway folders."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def fake_odoo_source(folder, major):
    """The two files of an Odoo source that the scripts read: odoo-bin and odoo/release.py."""
    (folder / "odoo").mkdir(parents=True)
    (folder / "odoo-bin").write_text("#!/usr/bin/env python3\n")
    (folder / "odoo" / "release.py").write_text(f"version_info = ({major}, 0, 0, FINAL, 0, '')\n")
    return folder


def env_sh(repo, home, script, **variables):
    """Run `script` in bash after sourcing `repo`/scripts/env.sh, with HOME and the cache in `home`."""
    environment = {"PATH": os.environ["PATH"], "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
                   **variables}
    result = subprocess.run(["bash", "-c", f"source '{repo}/scripts/env.sh'; {script}"], env=environment,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("major", [18, 19])
def test_the_venv_follows_the_version_of_the_source_given(tmp_path, major):
    source = fake_odoo_source(tmp_path / "somewhere" / "odoo", major)
    out = env_sh(REPO, tmp_path, 'echo "$ODOO_MAJOR $ODOO_VENV"', ODOO_SRC=str(source))
    assert out == f"{major} {tmp_path}/.cache/woocommerce_connector/odoo{major}-venv"


def test_without_odoo_src_the_source_is_looked_for_in_home_src(tmp_path):
    fake_odoo_source(tmp_path / "src" / "odoo-19.0", 19)
    out = env_sh(REPO, tmp_path, 'echo "$ODOO_SRC $ODOO_MAJOR"', ODOO_VERSION="19.0")
    assert out == f"{tmp_path}/src/odoo-19.0 19"
    # Odoo 18 is the default version; nothing there yet: the 18 venv all the same.
    assert env_sh(REPO, tmp_path, 'echo "$ODOO_MAJOR ${ODOO_SRC:-none}"') == "18 none"


def test_two_clones_have_their_own_addons_folder(tmp_path):
    clone = tmp_path / "second-clone"
    (clone / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "env.sh", clone / "scripts" / "env.sh")
    first = env_sh(REPO, tmp_path, 'echo "$ADDONS_LINK_DIR"')
    second = env_sh(clone, tmp_path, 'echo "$ADDONS_LINK_DIR"')
    assert first != second
    assert first.startswith(f"{tmp_path}/.cache/woocommerce_connector/addons/")
    assert second.startswith(f"{tmp_path}/.cache/woocommerce_connector/addons/second-clone-")
    # The same clone always gets the same folder.
    assert env_sh(clone, tmp_path, 'echo "$ADDONS_LINK_DIR"') == second


def test_every_odoo_venv_of_the_cache_is_found_lowest_version_first(tmp_path):
    for major in (19, 18):
        venv = tmp_path / ".cache" / "woocommerce_connector" / f"odoo{major}-venv" / "bin"
        venv.mkdir(parents=True)
        (venv / "python").write_text("")
        (venv / "python").chmod(0o755)
    out = env_sh(REPO, tmp_path, "odoo_venvs").split()
    assert [Path(venv).name for venv in out] == ["odoo18-venv", "odoo19-venv"]


def test_setup_without_an_odoo_source_says_where_to_put_one_and_downloads_nothing(tmp_path):
    environment = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / ".cache")}
    result = subprocess.run([str(REPO / "scripts" / "setup"), "--install-only"], env=environment,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert f"No Odoo source at {tmp_path}/src/odoo-18.0" in result.stderr
    assert "ODOO_SRC" in result.stderr
    assert not (tmp_path / ".cache" / "woocommerce_connector" / "odoo18-venv").exists()
    for script in ("setup", "env.sh", "test"):
        text = (REPO / "scripts" / script).read_text()
        assert "curl" not in text and "wget" not in text and "archive/refs" not in text, script


def test_setup_refuses_an_odoo_it_does_not_support(tmp_path):
    source = fake_odoo_source(tmp_path / "odoo-17.0", 17)
    environment = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / ".cache"),
                   "ODOO_SRC": str(source)}
    result = subprocess.run([str(REPO / "scripts" / "setup"), "--install-only"], env=environment,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "supports 18.0 19.0" in result.stderr
