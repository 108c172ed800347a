"""Templates an earlier duban shipped: what an upgrade may replace in a workspace's 模板/.

`init` copies the shipped templates into 模板/, where the office may edit them. A copy still
byte for byte as an earlier version shipped it was never edited: duban reads the template
shipped now in its place (`Workspace.template`), and an upgrade (`refresh_templates`, run by
0-首次安装 through `actions.kit.refresh_scripts`) puts the new one on disk, so that the office
opening 模板/月度通报.docx to edit it edits today's template, not one whose new parts it would
then lose, and 模板/README.md lists the variables the error messages send it to. A copy the
office edited is its own, and never touched.
"""

from __future__ import annotations

from pathlib import Path

from . import errors
from .files import atomic_write
from .resources import resource

#: sha256 of template files an earlier version shipped, which `init` copied into 模板/ as they
#: were. A workspace still holding one byte for byte never edited it, and gets the file shipped
#: now: an upgrade must not keep 2016年6月各项一级任务进展情况 above a table of one 合计 row
#: (the 通报 template gained level1_caption in 055feeb). Edited copies are the office's own.
SUPERSEDED_TEMPLATES = {
    "月度通报.docx": frozenset({
        "0ba1d325ab109e89928b92d9891207b503d9c778dd618b1188f90b86d67366c2",
        "eb971dd1355911a90a6558ab57120daadd83ad2c043b6616d69abbe681daacf9",  # before level1_header
        "22343806e2c84fc741f336c2184b331007f7841a87e74a9847995b1da85d3cb0",  # before appendices (附件)
        # before section 三 named the 配合 units that reported 滞后 (coop_lagging)
        "1fd4c05cf36b1ca9c803db4a6c645648f53976417d6074ec622563f6a8db678b",
        # before the 一级任务 column's names went 五号, broken evenly (r.name_lines, QA284)
        "3b676fdfc65c8c9bfb54e3034f3c8ab507586b1ae2fc317fb2f49f2cd4a96b55",
        # before 完成率 took the width 序时推进 and 滞后 do without: 33.3% broke onto two lines (QA341)
        "19639bda321cce861adc1bca00ffbf7d472e881be96454c2b7d413caa4a432de",
    }),
    # the mails before they named the office's contact (duban.toml ``contact``, which says it
    # goes "into the 填报说明 and the mails"): a department had no one to call
    "下发邮件.txt": frozenset({
        "25ce9584ba788154f1b8247c333aed9ecc6f343e2959c64d8c2a495cf156858a",
        "531b54c5aeb309c59d888c4baf9dbdd6a6fec976c414e03a91b4cec36fdd1460",
        "807ef95ebacffa4851223e1f975e1f5977702274cc1b0e0fa1132ca0e9285421",
        # before a 整改清单's said 整改任务 and 整改时限 (``rectification``), not 任务 and 完成时限
        "c53fc763cb9d998685a1f8b0fb5c8accf43130f307b6bdfb573877a17f484552",
        # before it said 根据…安排 as the 通报 does (``arrangement``): 根据…工作安排工作安排 (QA343)
        "426b128b7fd96032477b36f784f60d6f9885a0714fee65959c31242f2194a56c",
    }),
    "催报邮件.txt": frozenset({
        "ba5a19783750598f461cd663b6d3d92fb233a16fc065aebe49ddb9ff0b681504",
        "03b918af1616345a746da3168bd65b4ea69d906cae5c6e291bf4e2b1d905c2cb",
        "48696e8e120180aa4927057217711c4e0b5dfd1bae552af04048c54919fda179",  # 完成时限：未明确 on every line
        # before a unit sent back was asked to correct by the date its reply named (fix_by_text), not 尽快
        "12351865da7701f3fa36bc736755c50086d29916b6250543eafc99537b3fdc4a",
        # before a 整改清单's listed its 整改任务 by 整改时限 (``rectification``), not its 任务 by 完成时限
        "6a8eed462d8be766c42ce62d571c92059b8ee77d6dec28ad3dbe5dc083e1244b",
        # before a unit still on time was asked by its deadline (``ask_by_text``), not 尽快 (QA351)
        "e99ddc3b1c52d2c173d4384183ca13f887b18c7de7714efac9db0b3780897ed5",
    }),
    "反馈邮件.txt": frozenset({
        "04bdbb13ece9819db842fc86daed44308c36110c0da022a6e4df78ac84fb2ce7",
        # before a reply accepting with warnings headed them 请注意, not 主要问题
        "f456389f2049092e386b3d46be677104b5412521e6b43ae5be00597efb71dc45",
        # before a file that could not be read was told to fix the red cells of a form it had none in
        "6f00d561ba06cb69f59352337d4e96b81a28c91d141567a46dde1215d6e15961",
        # before the documents sent beside the form (a stamped PDF) were named as received (QA312)
        "2bbe25162d74c512f2f8b9b5a206e7ba255f5e5da3f66d7db8d64bd4d1c6f446",
    }),
    # the guide to the templates (the variables the error messages send the office to): every
    # version shipped before this one (git log templates/README.md), 2026-11-29 to 2026-12-06
    "README.md": frozenset({
        "f621498b16bb7afaf641080ce11678273fac0de93f3d2e29f292b71d07332bf2",
        "16d8b0d47f45f300782f471cf0353c9d66fe253d77f63c5830d7850fb0e0b943",
        "c180038d6a78e652dee946012f4ce86bd7dc0a8dce3745bfb9890c32205a2e82",
        "e52b7a950683fea438f3728ca89faeb62ab58131e8e36ae8727ada69cf389160",
        "8b36961fee696569abc8d95574542272751893e08179799dd781b19542a482d3",
        "b44c65d09fa7d63c5d5ec2f497088bfa36a468b2163b0c7240253c8a94dfc2b0",
        "d2ce64f8e29a1841407252be7e29ec3cc5379d4fead51a51418eb7ae26c838fe",
        "fc6e44ed6afcd3e9b2b43b123cba38e89f2c905ef97e274fdc5de9bedf40aac2",
        "df46c6e2db981cc5c7a9d35d4d82d0061cee4716f297e593d74a406a58c8694f",
        "a7e041da84da250a58fdd86b6108d88aa79515f25d17cba4c4d8ad71c687ba8a",
        "217f70755732f3e7b8f0bf2dff09f52e7f9cfe3c733767c0a970d33c46cc7621",
        "b5a0e489aea5e60597fbbb3412d94d43a4d0ae96c601639147af478640de5f14",
        "7be6fb20ed3de1cac475996ca7804e08776b2ab09c4fe6353e6363b0ca32c396",
        "26c870a8282a8c7ea10522cbf7040170d385b9cd1e96ce3af59dc02f6adcecaa",
        "f62f325fbb9ac9e93f9062a0e25174063680a6bf784dd3c7f7f4db7dac491801",
        "56e3f3c8d4d1f3edf434d9f0facca401b3c35dae9617580c22fc4225719fe46b",
        "fd86f27ab9741a9ef00673da0838b006b51e51c4edd5bb13f13ed03fb7e388a3",
        "ecbe981867faabf9f630085801d63f096fde4cc43b7c7f673e746f7629a44c8f",
        "87a1b631aa7dabd6c1f851d04d2b391b4bac8ff11cdcdf82f9952ff3ba943251",
        "879aca0d287b88fe0fdac98d3e4494c22e77609bfba645aa2531ea88fabbb8ba",
        "09e9476a8fb2f73de684f51d1d991127c65f75c815ecae751c33dd789c43fd04",
        "3f4a5fcec688f8a76197c50b70a97f3ebe95dfc907c6d0486b9454cbb34683fc",
        "55c13458c9b93bce6886233653bfe23296b63b47dd5455b795a607c94951a0ef",
        "06c1e595dadd0df8c4a839a4897f317bab708c2164c34849de6483e7d408b12e",
        "7f10c816de30519f91c6417bdaea7858da5f23d6cd68635c0c7d1c61af3562a4",
        "8c95fe95a0c23114b91b209695f651e4df0b91a24c4f603e8db5b24aca65ad67",
        "0390b948e31b79663d02a9702082ea8639361f5617b455bcdc584509fa3ce148",
        "1b873f9bb6c23cc30416e0252e341a4273ac75177d467d0f4483a8ef90b9c0c5",
        "86bc4fa449d7c59cd458be32eacba32cc932bee5d847d19482654dd03ba7f59f",
    }),
}


def superseded(path: Path, name: str) -> bool:
    """Whether ``path`` is, unedited, a template an earlier version shipped (`SUPERSEDED_TEMPLATES`)."""
    known = SUPERSEDED_TEMPLATES.get(name)
    if not known:
        return False
    import hashlib  # init and memo only: it loads OpenSSL, 3.1 ms of `duban status`'s start-up

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() in known
    except OSError:
        return False  # the caller reports a template it cannot read


def refresh_templates(folder: Path) -> list[Path]:
    """Replace each template in ``folder`` (a workspace's 模板/) that an earlier version shipped
    and the office never edited with the one shipped now; the files replaced. Each in one
    rename; one that cannot be written is left as it was (duban reads the shipped one anyway)."""
    import shutil  # deferred: the installer's upgrade step alone needs it

    written = []
    for name in SUPERSEDED_TEMPLATES:
        target = folder / name
        if not superseded(target, name):
            continue
        try:
            atomic_write(target, lambda tmp, name=name: shutil.copyfile(resource("templates", name), tmp))
        except errors.DubanError:  # a full disk, a locked file: duban reads the shipped one anyway
            continue
        written.append(target)
    return written
