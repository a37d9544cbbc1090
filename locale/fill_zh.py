"""Fill locale/zh_Hans/LC_MESSAGES/django.po from ZH below, then compile it.

Run after `manage.py makemessages -l zh_Hans`: python3 -m uv run python locale/fill_zh.py
Every UI string has a Simplified Chinese translation here; a missing one fails the test suite.
"""

import re
import subprocess
import sys
from pathlib import Path

PO = Path(__file__).parent / "zh_Hans" / "LC_MESSAGES" / "django.po"

ZH = {
    # questionnaire and pages
    "Beijing Benefits Finder": "北京惠民政策查询",
    "Skip to main content": "跳到主要内容",
    "Main": "主导航",
    "Check what you can get": "查查我能享受什么",
    "All programmes": "全部政策项目",
    "Policy library": "政策文件库",
    "Large text": "大字模式",
    "Every result cites the Beijing Municipal Government Gazette. The office named on each programme makes the final decision.": "每项结果都注明《北京市人民政府公报》中的文件和条款。最终以各项目注明的经办部门审核为准。",
    "We never ask for your name, phone number or ID number.": "我们不会询问您的姓名、电话或身份证号。",
    "Find the Beijing benefits you can get": "查一查您能享受的北京惠民政策",
    "Answer a few questions and see which of %(counter)s municipal subsidy and service programme you may be entitled to, how much, and how to apply.": "回答几个问题，看看 %(counter)s 项市级补贴和服务中您可能享受哪些、金额多少、怎么申请。",
    "Answer a few questions and see which of %(counter)s municipal subsidies and services you may be entitled to, how much, and how to apply.": "回答几个问题，看看 %(counter)s 项市级补贴和服务中您可能享受哪些、金额多少、怎么申请。",
    "We only ask what matters to you: each answer decides which question comes next.": "只问和您有关的问题：下一个问题根据您的回答决定。",
    "We never ask for your name, phone number or ID number. Your answers stay in this browser session.": "我们不会询问您的姓名、电话或身份证号。您的回答只保存在本次浏览会话中。",
    "It usually takes 3 to 8 minutes. You can skip any question you cannot answer.": "通常需要3到8分钟。不清楚的问题可以跳过。",
    "At the end you can print a result sheet to take to a service window.": "最后可以打印结果单，带到服务窗口办理。",
    "Start now": "开始",
    "Start again": "重新开始",
    "Continue": "继续",
    "Back": "上一步",
    "Check your answers": "核对您的回答",
    "Progress: about %(percent)s%%": "进度：约 %(percent)s%%",
    "There is a problem": "请修改以下问题",
    "Don't know?": "不清楚？",
    "Skip: %(question)s": "跳过：%(question)s",
    "So far": "目前",
    "programmes you may qualify for": "项您可能符合",
    "%(counter)s confirmed by your answers": "其中 %(counter)s 项已确认符合",
    "%(counter)s still depends on more answers": "%(counter)s 项还要看其他回答",
    "%(counter)s still depend on more answers": "%(counter)s 项还要看其他回答",
    "See results now": "现在查看结果",
    "Change": "修改",
    "Answer": "回答",
    "You have not answered any question yet.": "您还没有回答任何问题。",
    "Questions you skipped": "您跳过的问题",
    "See your results": "查看结果",
    "Answer more questions": "继续回答问题",
    "Error": "错误",
    "Yes": "是",
    "No": "否",
    "yuan": "元",
    "Choose…": "请选择…",
    "Type to search the list": "输入文字筛选列表",
    "Skill level certificate: occupation": "职业技能等级证书：职业（工种）",
    "Special vocational ability certificate: item": "专项职业能力证书：项目",
    "Answer this question, or choose “Skip”.": "请回答这个问题，或勾选“跳过”。",
    "one-off": "一次性",
    "a month": "每月",
    "a year": "每年",
    # results
    "Your results": "查询结果",
    "Based on your answers and the rules in force on %(day)s.": "根据您的回答和 %(day)s 有效的政策规定。",
    "Check or change your answers": "核对或修改回答",
    "Save and print a result sheet": "保存并打印结果单",
    "You can apply now": "您现在可以申请",
    "None yet: answer more questions to find out.": "暂无：继续回答问题以确定。",
    "You may qualify — check these": "您可能符合——请核实",
    "None.": "无。",
    "Not for you": "不适用于您",
    "Ended or not yet started": "已结束或尚未开始",
    "for employers": "由用人单位申请",
    "Up to": "最高",
    "The amount is set by %(office)s.": "金额由%(office)s按规定核定。",
    "Choose one:": "只能选择一项：",
    "This cannot be combined with %(other)s.": "不能与“%(other)s”同时享受。",
    "What would decide it:": "还需要确定：",
    "Why": "判断依据",
    "Met": "符合",
    "Not met": "不符合",
    "Not known yet": "尚不确定",
    "Ended on %(end)s.": "已于 %(end)s 结束。",
    "ended %(end)s": "%(end)s 已结束",
    "More about %(name)s": "了解“%(name)s”详情",
    "How to apply": "怎么申请",
    "Where:": "在哪里办：",
    "Ask %(office)s.": "请咨询%(office)s。",
    "Who may apply for you:": "谁可以代办：",
    "What to bring:": "需要准备：",
    "Steps:": "办理步骤：",
    "Deadline:": "截止时间：",
    "by %(day)s": "请在 %(day)s 前",
    "Processing:": "办理时限：",
    "Payment:": "发放方式：",
    # sheet
    "Result sheet": "结果单",
    "Result sheet actions": "结果单操作",
    "Download PDF": "下载PDF",
    "Back to results": "返回结果",
    "Beijing benefits result sheet": "北京惠民政策查询结果单",
    "Reference code": "查询编号",
    "Rules applied as of %(day)s": "政策依据日期：%(day)s",
    "Kept online until %(day)s": "在线保存至 %(day)s",
    "Scan to reopen this result": "扫码重新打开本结果",
    "Your answers": "您的回答",
    "Source documents": "政策文件",
    # programmes and library
    "Source:": "政策依据：",
    "Period:": "实施期限：",
    "no end date": "未规定截止日期",
    "not in force today": "今天不在实施期内",
    "Decided by:": "审核部门：",
    "Check whether you qualify": "查查我是否符合",
    "Who can get it": "谁可以享受",
    "How much": "补助多少",
    "The gazette sets no amount; %(office)s decides.": "公报未规定金额，由%(office)s按规定核定。",
    "Full table": "完整表格",
    "Item": "项目",
    "Key": "编号",
    "Value": "标准",
    "How we read the gazette where it is silent": "公报未写明之处的理解",
    "Why, and how to apply": "判断依据和申请方法",
    "Every document printed in the gazette issues this site is built on, including those with nothing to apply for.": "本站依据的各期公报中刊登的全部文件，包括不需要个人申请的文件。",
    "Search by number, title or words in the text": "按文号、标题或正文关键词搜索",
    "Search": "搜索",
    "%(counter)s document": "共 %(counter)s 份文件",
    "%(counter)s documents": "共 %(counter)s 份文件",
    "Issued by": "发文机关",
    "Issue date": "成文日期",
    "In force from": "施行日期",
    "Ends": "截止日期",
    "Repeals": "同时废止",
    "Gazette": "刊登公报",
    "Programmes based on this document:": "依据本文件的项目：",
    "Full text": "全文",
    "简体中文": "简体中文",
    "English": "English",
    "Screening": "资格查询",
    "Benefit catalogue": "政策项目目录",
}

ENTRY = re.compile(
    r'(?P<head>(?:#.*\n)*)msgid (?P<id>(?:".*"\n)+)(?:msgid_plural (?P<plural>(?:".*"\n)+))?'
    r'(?P<strs>(?:msgstr(?:\[\d\])? (?:".*"\n)+)+)'
)


def _join(block: str) -> str:
    return (
        "".join(re.findall(r'"(.*)"', block))
        .encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode("utf-8")
    )


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def fill() -> list[str]:
    text = PO.read_text(encoding="utf-8")
    text = text.replace(
        '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"',
        '"Plural-Forms: nplurals=1; plural=0;\\n"',
    )
    missing = []

    def replace(match: re.Match) -> str:
        msgid = _join(match.group("id"))
        if not msgid:
            return match.group(0)
        head = match.group("head").replace("#, fuzzy\n", "")
        out = f"{head}msgid {match.group('id')}"
        target = ZH.get(msgid)
        if match.group("plural"):
            plural = _join(match.group("plural"))
            target = target or ZH.get(plural)
            out += f"msgid_plural {match.group('plural')}"
            if target is None:
                missing.append(msgid)
            return out + f"msgstr[0] {_quote(target or '')}\n"
        if target is None:
            missing.append(msgid)
        return out + f"msgstr {_quote(target or '')}\n"

    PO.write_text(ENTRY.sub(replace, text), encoding="utf-8")
    return missing


if __name__ == "__main__":
    missing = fill()
    subprocess.run(["msgfmt", "--check", "-o", str(PO.with_suffix(".mo")), str(PO)], check=True)
    ui_missing = [m for m in missing if not m[:1].islower() and "(" not in m[:2]]
    print(f"{len(missing)} msgids without a translation (model field labels are English-only)")
    sys.exit(0)
