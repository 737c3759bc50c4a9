"""The report's figures and Dongcheng's support by year."""

from decimal import Decimal

from ..models import AnnualSupport, Figure
from .common import REPORT_DATE, SECOND_SIGNED, WAN, YI, tr, upsert

# --- Figures -------------------------------------------------------------------------------

T = Figure.Topic
Q = Figure.Qualifier
# (key, topic, headline, value, qualifier, unit zh/en, label zh/en, note zh/en).
# Every one is stated by the report; as of its date (the commitment: signing).
FIGURES = [
    ("annual-commitment", T.OVERVIEW, True, YI, Q.AT_LEAST, ("元", "yuan"),
     ("东城区每年支持怀柔区资金（2023—2027年）", "Dongcheng's support to Huairou each year, 2023–2027"),
     ("2023年6月30日签署的新一轮框架协议约定。", "Set by the agreement signed on 30 June 2023.")),
    ("first-round-support", T.OVERVIEW, True, 4 * YI, Q.EXACT, ("元", "yuan"),
     ("首轮结对协作东城区支持资金（五年）", "Dongcheng's support in the first round (five years)"),
     ("", "")),
    ("joint-projects", T.OVERVIEW, True, Decimal(20), Q.NEARLY, ("个", "projects"),
     ("首轮落地怀柔的共建项目", "Joint projects landed in Huairou in the first round"),
     ("其中包括雁栖河生态廊道、仪器传感器产业发展。", "Among them the Yanqi River ecological corridor and instrument & sensor industry development.")),
    ("fund-size", T.OVERVIEW, True, YI, Q.EXACT, ("元", "yuan"),
     ("仪器传感器产业发展基金中的东城区资金", "Dongcheng money in the Instrument & Sensor Industry Development Fund"),
     ("", "")),
    ("fund-pipeline", T.OVERVIEW, True, Decimal(28), Q.EXACT, ("家", "companies"),
     ("基金储备项目库中的注册公司", "Registered companies in the fund's pipeline"),
     ("包括多场低温（北京）、中科艾科米。", "Among them Duochang Diwen (Beijing) and Zhongke Aikemi.")),
    ("villages-out-of-weak-status", T.OVERVIEW, True, Decimal(26), Q.EXACT, ("个村", "villages"),
     ("集体经济薄弱村2022年全部“脱薄”", "Collectively weak villages, all out of weak status in 2022"),
     ("", "")),
    ("teaching-exchanges", T.OVERVIEW, True, Decimal(100), Q.MORE_THAN, ("次", "exchanges"),
     ("两区教育教学交流", "Teaching exchanges between the districts"), ("", "")),
    ("teacher-trainings", T.OVERVIEW, True, Decimal(6000), Q.MORE_THAN, ("人次", "person-times"),
     ("五年来怀柔区参训教师", "Teacher trainings in Huairou over five years"), ("", "")),
    ("tcm-clinics", T.OVERVIEW, True, Decimal(150), Q.MORE_THAN, ("次", "clinics"),
     ("名中医团队到怀柔出诊", "Clinics held in Huairou by renowned TCM doctors' teams"), ("", "")),
    ("student-grants", T.OVERVIEW, True, 40 * WAN, Q.EXACT, ("元", "yuan"),
     ("向108名低保、低收入家庭学生发放的慈善助学金", "Charity grants to 108 students from low-income families"),
     ("东城区协调的慈善资金。", "Charity money arranged by Dongcheng.")),
    ("agreement-fields", T.OVERVIEW, False, Decimal(5), Q.EXACT, ("个", "fields"),
     ("新一轮协议的协作领域", "Fields of the 2023–2027 agreement"),
     ("生态保护、生态产品价值实现、绿色发展、乡村振兴、服务民生。", "Ecological protection, realising the value of ecological products, green development, rural revitalisation, public livelihood services.")),
    ("other-fields", T.OVERVIEW, False, Decimal(6), Q.EXACT, ("个", "fields"),
     ("其他开展合作的领域", "Other fields of cooperation named"),
     ("党建、干部人才交流、文化旅游、劳务协作、体育、养老。", "Party building, cadre and talent exchange, culture and tourism, labour cooperation, sports, elderly care.")),
    ("fund-cap-per-company", T.FUND, False, 300 * WAN, Q.AT_MOST, ("元", "yuan"),
     ("基金对每个项目的投入上限", "Most the fund puts into one company"), ("", "")),
    ("fund-sectors", T.FUND, False, Decimal(7), Q.EXACT, ("个", "sectors"),
     ("基金投资领域", "Sectors the fund invests in"),
     ("高端仪器装备、传感器、人工智能、新能源、新材料、生命科学、商业航天；种子期、天使期；股权直接投资。", "High-end instruments, sensors, AI, new energy, new materials, life sciences, commercial aerospace; seed and angel stage; direct equity.")),
    ("schools-huairou", T.EDUCATION, False, Decimal(4), Q.EXACT, ("所", "schools"),
     ("签订教育帮扶协议的怀柔区学校、幼儿园", "Huairou schools and kindergartens with an education-support agreement"), ("", "")),
    ("schools-dongcheng", T.EDUCATION, False, Decimal(3), Q.EXACT, ("所", "schools"),
     ("结对的东城区学校、幼儿园", "Dongcheng schools and kindergartens in the pairs"), ("", "")),
    ("resident-teachers", T.EDUCATION, False, Decimal(20), Q.MORE_THAN, ("人", "people"),
     ("东城区向怀柔派出的常驻干部教师", "Resident cadres and teachers Dongcheng posted to Huairou"), ("", "")),
    ("teaching-visits", T.EDUCATION, False, Decimal(39), Q.EXACT, ("批次", "visits"),
     ("东城区送教", "Teaching visits sent by Dongcheng"), ("", "")),
    ("teaching-visit-teachers", T.EDUCATION, False, Decimal(300), Q.EXACT, ("人次", "person-times"),
     ("送教教师", "Teachers on those visits"), ("", "")),
    ("shadow-training", T.EDUCATION, False, Decimal(43), Q.EXACT, ("人", "people"),
     ("赴东城区跟岗培训的怀柔区干部教师", "Huairou cadres and teachers shadow-training in Dongcheng"), ("", "")),
    ("medical-huairou", T.MEDICAL, False, Decimal(3), Q.EXACT, ("家", "institutions"),
     ("与东城区结对的怀柔区医疗卫生机构", "Huairou medical institutions paired with Dongcheng"), ("", "")),
    ("medical-dongcheng", T.MEDICAL, False, Decimal(3), Q.EXACT, ("家", "centres"),
     ("结对的东城区卫生服务中心", "Dongcheng community health centres in the pairs"), ("", "")),
    ("tcm-teams", T.MEDICAL, False, Decimal(10), Q.EXACT, ("个", "teams"),
     ("到怀柔出诊的北京中医医院名中医团队", "Renowned-TCM-doctor teams of Beijing Hospital of TCM holding clinics in Huairou"),
     ("北京市中医医院整体托管怀柔区中医院，助力其成功创建三甲医院。", "Beijing Hospital of Traditional Chinese Medicine took over the running of Huairou TCM Hospital, which became a Grade-3A hospital.")),
    ("towns-huairou", T.LOW_INCOME, False, Decimal(16), Q.EXACT, ("个", "towns"),
     ("与东城区街道全面协作的怀柔区镇乡街道", "Huairou towns, townships and sub-districts in full cooperation with Dongcheng"), ("", "")),
    ("streets-dongcheng", T.LOW_INCOME, False, Decimal(17), Q.EXACT, ("个", "sub-districts"),
     ("结对的东城区街道", "Dongcheng sub-districts in the pairs"), ("", "")),
    ("chambers", T.LOW_INCOME, False, Decimal(8), Q.EXACT, ("家", "chambers"),
     ("与薄弱村结对帮扶的东城区商会", "Dongcheng chambers of commerce supporting weak villages"), ("", "")),
    ("weak-villages", T.LOW_INCOME, False, Decimal(26), Q.EXACT, ("个村", "villages"),
     ("结对帮扶的集体经济薄弱村", "Collectively weak villages supported"), ("", "")),
    ("grant-students", T.LOW_INCOME, False, Decimal(108), Q.EXACT, ("名", "students"),
     ("获助学金的低保、低收入家庭学生", "Students from subsistence-allowance and low-income families given grants"), ("", "")),
    ("support-centres", T.CONSUMPTION, False, Decimal(3), Q.EXACT, ("个", "centres"),
     ("设立怀柔专区、专柜的东城区消费扶贫双创中心", "Dongcheng consumption-support centres with Huairou zones"), ("", "")),
    ("huairou-counters", T.CONSUMPTION, False, Decimal(4), Q.EXACT, ("个", "zones and counters"),
     ("怀柔专区、专柜", "Huairou zones and counters"), ("", "")),
    ("named-products", T.CONSUMPTION, False, Decimal(4), Q.EXACT, ("种", "products"),
     ("销量和知名度提升的怀柔特色农产品", "Huairou specialities whose sales and renown grew"),
     ("怀柔板栗、汤河红薯、红梨膏、虹鳟鱼；通过农超对接、餐饮对接。", "Huairou chestnuts, Tanghe sweet potatoes, red-pear paste and rainbow trout, through farm-to-supermarket and farm-to-restaurant links.")),
    ("joint-routes", T.TOURISM, False, Decimal(2), Q.EXACT, ("条", "routes"),
     ("报道点名的联合精品旅游线路（共多条）", "Joint boutique tourism routes named in the report (of several)"),
     ("“前门+雁栖湖”“天坛+红螺寺+慕田峪”。", "“Qianmen + Yanqi Lake” and “Temple of Heaven + Hongluo Temple + Mutianyu”.")),
]  # fmt: skip


def figures(s) -> list[Figure]:
    rows = []
    for order, (key, topic, headline, value, qualifier, unit, label, note) in enumerate(
        FIGURES, start=1
    ):
        rows.append(
            upsert(
                Figure,
                {"key": key},
                {
                    **tr("label", *label),
                    **tr("unit", *unit),
                    **tr("note", *note),
                    "value": value,
                    "qualifier": qualifier,
                    "topic": topic,
                    "is_headline": headline,
                    "as_of": SECOND_SIGNED if key == "annual-commitment" else REPORT_DATE,
                    "source": s["report"],
                    "is_reported": True,
                    "order": order * 10,
                },
            )
        )
    # 26 villages out of weak status, measured against the 26 supported.
    weak = next(f for f in rows if f.key == "weak-villages")
    Figure.objects.filter(key="villages-out-of-weak-status").update(compared_with=weak)
    return rows


def annual_support(s, ag) -> list[AnnualSupport]:
    """2018–2022: the reported 4亿元 over five years, as an average (the report
    gives no yearly amounts); 2023–2027: the agreed floor of 1亿元 a year."""
    rows = []
    first, second = ag[1], ag[2]
    average = first.total_commitment / first.years
    for year in range(first.period_start, first.period_end + 1):
        rows.append(
            upsert(
                AnnualSupport,
                {"year": year},
                {
                    "amount": average,
                    "basis": AnnualSupport.Basis.DERIVED,
                    "agreement": first,
                    **tr("note", "4亿元 ÷ 5年（平均）", "400 million yuan ÷ 5 years (average)"),
                    "source": s["report"],
                    "is_demo": False,
                },
            )
        )
    for year in range(second.period_start, second.period_end + 1):
        rows.append(
            upsert(
                AnnualSupport,
                {"year": year},
                {
                    "amount": second.annual_commitment,
                    "basis": AnnualSupport.Basis.COMMITTED,
                    "agreement": second,
                    **tr("note", "协议约定的下限", "the agreed floor"),
                    "source": s["report"],
                    "is_demo": False,
                },
            )
        )
    return rows
