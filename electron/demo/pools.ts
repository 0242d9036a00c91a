/**
 * Word pools of the demo college: names, Hunan places, colleges, majors, contests. Plausible, not
 * real people; the demo college itself is fictional so no real institution appears to issue scans.
 */

export const DEMO_COLLEGE = '湖南云麓职业技术学院';

/** Weighted towards surnames common in Hunan; 欧阳 and 司马 exercise two-character surnames. */
export const SURNAMES: readonly string[] = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '胡', '朱', '郭', '何',
  '罗', '高', '林', '郑', '梁', '谢', '唐', '许', '邓', '冯', '曹', '彭', '曾', '肖', '田', '袁',
  '蒋', '蔡', '余', '廖', '谭', '贺', '龙', '向', '易', '邹', '欧阳', '颜', '文', '伍', '聂', '尹',
  '刘', '李', '王', '陈', '谭', '彭', '唐', '邓', '司马', '符', '覃', '粟', '滕', '宋', '戴', '熊',
];

export const MALE_CHARS: readonly string[] = [
  '伟', '强', '磊', '军', '勇', '杰', '涛', '斌', '超', '明', '刚', '平', '辉', '鹏', '华', '飞',
  '鑫', '波', '宇', '浩', '凯', '健', '俊', '帆', '帅', '旭', '宁', '龙', '林', '阳', '晨', '睿',
  '博', '子', '轩', '航', '泽', '志', '文', '家', '豪', '振', '宏', '毅', '峰', '湘', '楚', '嘉',
];

export const FEMALE_CHARS: readonly string[] = [
  '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '秀', '玲', '燕', '婷', '雪', '琳', '晶', '欣',
  '怡', '佳', '梦', '雨', '倩', '悦', '诗', '涵', '萱', '颖', '慧', '洁', '瑶', '莉', '蓉', '思',
  '月', '彤', '晓', '可', '心', '湘', '兰', '芷', '茜', '妍', '璐', '薇', '琪', '露', '婉', '嘉',
];

/** Rare name characters: each one must render from the bundled font, not as tofu. */
export const RARE_CHARS: readonly string[] = ['堃', '喆', '玥', '垚', '翀', '珺', '燚', '淼', '昇', '琤'];

/** Look-alike or sound-alike swaps used for the 姓名 differs-on-scan defect. */
export const NAME_SWAPS: Readonly<Record<string, string>> = {
  伟: '玮', 丽: '莉', 明: '铭', 华: '桦', 静: '婧', 军: '君', 杰: '洁', 涛: '滔', 斌: '彬',
  婷: '亭', 玲: '琳', 琳: '玲', 燕: '艳', 艳: '燕', 晶: '静', 鹏: '朋', 宇: '雨', 浩: '皓',
  辉: '晖', 峰: '锋', 欣: '馨', 倩: '茜', 怡: '宜', 颖: '莹', 慧: '惠', 洁: '杰', 瑶: '遥',
};

export interface Region {
  code: string;
  /** Full place name as written on 户籍 documents. */
  name: string;
  /** County-level unit, for the 乡村振兴局 that issues 脱贫证明. */
  county: string;
}

export const REGIONS: readonly Region[] = [
  { code: '430102', name: '湖南省长沙市芙蓉区', county: '长沙市芙蓉区' },
  { code: '430104', name: '湖南省长沙市岳麓区', county: '长沙市岳麓区' },
  { code: '430202', name: '湖南省株洲市荷塘区', county: '株洲市荷塘区' },
  { code: '430302', name: '湖南省湘潭市雨湖区', county: '湘潭市雨湖区' },
  { code: '430406', name: '湖南省衡阳市雁峰区', county: '衡阳市雁峰区' },
  { code: '430521', name: '湖南省邵阳市邵东县', county: '邵东县' },
  { code: '430602', name: '湖南省岳阳市岳阳楼区', county: '岳阳市岳阳楼区' },
  { code: '430703', name: '湖南省常德市鼎城区', county: '常德市鼎城区' },
  { code: '430802', name: '湖南省张家界市永定区', county: '张家界市永定区' },
  { code: '430903', name: '湖南省益阳市赫山区', county: '益阳市赫山区' },
  { code: '431002', name: '湖南省郴州市北湖区', county: '郴州市北湖区' },
  { code: '431102', name: '湖南省永州市零陵区', county: '永州市零陵区' },
  { code: '431202', name: '湖南省怀化市鹤城区', county: '怀化市鹤城区' },
  { code: '431302', name: '湖南省娄底市娄星区', county: '娄底市娄星区' },
  { code: '433101', name: '湖南省湘西土家族苗族自治州吉首市', county: '吉首市' },
];

/** Counties with many former 建档立卡 households: home of the 脱贫家庭 applicants. */
export const POVERTY_REGIONS: readonly Region[] = [
  { code: '430524', name: '湖南省邵阳市隆回县', county: '隆回县' },
  { code: '430529', name: '湖南省邵阳市城步苗族自治县', county: '城步苗族自治县' },
  { code: '433123', name: '湖南省湘西土家族苗族自治州凤凰县', county: '凤凰县' },
  { code: '433124', name: '湖南省湘西土家族苗族自治州花垣县', county: '花垣县' },
  { code: '433126', name: '湖南省湘西土家族苗族自治州古丈县', county: '古丈县' },
  { code: '430822', name: '湖南省张家界市桑植县', county: '桑植县' },
  { code: '431222', name: '湖南省怀化市沅陵县', county: '沅陵县' },
  { code: '431226', name: '湖南省怀化市麻阳苗族自治县', county: '麻阳苗族自治县' },
  { code: '431129', name: '湖南省永州市江华瑶族自治县', county: '江华瑶族自治县' },
  { code: '431026', name: '湖南省郴州市汝城县', county: '汝城县' },
  { code: '430923', name: '湖南省益阳市安化县', county: '安化县' },
  { code: '431322', name: '湖南省娄底市新化县', county: '新化县' },
  { code: '430626', name: '湖南省岳阳市平江县', county: '平江县' },
];

export const TOWNS: readonly string[] = [
  '桃洪镇', '六都寨镇', '金石桥镇', '司门前镇', '岩口镇', '山界回族乡', '禾青镇', '茶园镇',
  '麻溪铺镇', '廖家坪镇', '官庄镇', '东坪镇', '洋溪镇', '长寿镇', '濠头乡',
];

export const VILLAGES: readonly string[] = [
  '新田村', '白竹村', '石门村', '枫林村', '上坪村', '龙塘村', '杉木村', '大坳村', '青山村', '和平村',
];

export const OTHER_COLLEGES: readonly string[] = [
  '湖南铁道职业技术学院', '长沙民政职业技术学院', '湖南工业职业技术学院', '湖南交通职业技术学院',
  '湖南化工职业技术学院', '湖南中医药高等专科学校', '长沙卫生职业学院', '永州职业技术学院',
  '娄底职业技术学院', '湘西民族职业技术学院',
];

export const MAJORS: readonly string[] = [
  '机电一体化技术', '计算机应用技术', '软件技术', '电子商务', '大数据与会计', '工业机器人技术',
  '汽车检测与维修技术', '建筑工程技术', '市场营销', '学前教育', '旅游管理', '数控技术',
  '现代物流管理', '电气自动化技术', '护理', '中医骨伤', '药学', '医学检验技术',
];

export interface Contest {
  name: string;
  /** Who issues the certificate (and whose name the seal carries). */
  issuer: string;
  events: readonly string[];
}

export const CONTESTS: readonly Contest[] = [
  {
    name: '全国职业院校技能大赛',
    issuer: '全国职业院校技能大赛组织委员会',
    events: ['智能制造设备技术应用赛项', '工业机器人技术应用赛项', '电子商务技能赛项', '护理技能赛项', '会计实务赛项', '软件测试赛项'],
  },
  {
    name: '湖南省职业院校技能竞赛',
    issuer: '湖南省教育厅',
    events: ['智能制造赛项', '汽车技术赛项', '建筑工程识图赛项', '中药传统技能赛项', '大数据应用开发赛项', '现代物流作业方案设计与实施赛项'],
  },
  {
    name: '中国国际大学生创新大赛',
    issuer: '中国国际大学生创新大赛组织委员会',
    events: ['职教赛道创意组', '职教赛道创业组', '产业命题赛道'],
  },
  {
    name: '“挑战杯”全国大学生课外学术科技作品竞赛',
    issuer: '“挑战杯”全国组织委员会',
    events: ['科技发明制作类', '哲学社会科学类社会调查报告'],
  },
  {
    name: '全国大学生数学建模竞赛',
    issuer: '全国大学生数学建模竞赛组织委员会',
    events: ['专科组'],
  },
];

export const AWARD_LEVELS: readonly string[] = ['一等奖', '二等奖', '三等奖'];

/** Unit designations (番号) are five digits; these are made up. */
export const UNIT_NUMBERS: readonly string[] = ['69210', '73116', '31682', '95937', '32145', '66389', '78092', '94653'];

export const PRINCIPALS: readonly string[] = ['周建国', '李志刚', '陈晓明', '刘卫东', '王海涛'];

/** Bachelor institutions applied to (报考院校); made up, like the demo college. */
export const BACHELOR_SCHOOLS: readonly string[] = ['湘江理工学院', '潇湘医学院', '洞庭科技学院', '衡岳师范学院', '武陵工程学院', '岳麓财经学院'];

/**
 * 报考专业 for each 专科 major: the same or a close bachelor major. The medical ones follow the
 * rules file's table (中医骨伤 may go to 中医学 as well as 中医骨伤科学).
 */
export const BACHELOR_MAJORS: Readonly<Record<string, readonly string[]>> = {
  机电一体化技术: ['机械设计制造及其自动化', '机械电子工程'], 计算机应用技术: ['计算机科学与技术'], 软件技术: ['软件工程'],
  电子商务: ['电子商务'], 大数据与会计: ['会计学', '财务管理'], 工业机器人技术: ['机器人工程'], 汽车检测与维修技术: ['车辆工程'],
  建筑工程技术: ['土木工程'], 市场营销: ['市场营销'], 学前教育: ['学前教育'], 旅游管理: ['旅游管理'], 数控技术: ['机械设计制造及其自动化'],
  现代物流管理: ['物流管理'], 电气自动化技术: ['电气工程及其自动化'],
  护理: ['护理学'], 中医骨伤: ['中医骨伤科学', '中医学'], 药学: ['药学'], 医学检验技术: ['医学检验技术'],
};

/** Medical bachelor majors a mismatched application names (none corresponds to a non-medical major). */
export const MEDICAL_TARGETS: readonly string[] = ['临床医学', '护理学', '口腔医学', '中药学', '康复治疗学'];

/** 湖湘工匠燎原计划 赛项 (contest events the plan's applicants took part in). */
export const CRAFT_CONTESTS: readonly string[] = [
  '湖南省职业院校技能竞赛·数控车加工赛项', '湖南省职业院校技能竞赛·工业机器人技术应用赛项', '全国职业院校技能大赛·汽车技术赛项',
  '湖南省职业院校技能竞赛·建筑工程识图赛项', '全国职业院校技能大赛·电子产品设计及制作赛项',
];

export const CRAFT_LEVELS: readonly string[] = ['省级', '省级', '国家级'];
