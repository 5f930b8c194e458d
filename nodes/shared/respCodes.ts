/**
 * The UCPaaS (云之讯) REST API 2014-06-30 respCode table.
 *
 * Where it comes from:
 * - the vendor's return-code page (docs.ucpaas.com, page "rest_error"), whose Chinese texts public
 *   SDKs and clients (PHP, C#) carry verbatim as their error tables;
 * - the project's API notes (section 6), which give the English meaning of the common codes and
 *   win wherever a meaning is in doubt;
 * - for the codes in the blocks marked "server constants only", a public listing of the platform's
 *   own REST server constants (package com.yzx.rest). The published table does not carry them;
 *   they are kept so that such a code, if it is ever returned, is still explained.
 *
 * Where the sources disagree, the choice made is noted next to the code.
 */

import { TIMESTAMP_VALIDITY_MINUTES } from './beijingTime';

/** One documented UCPaaS respCode. */
export interface RespCodeInfo {
	/** English meaning, a sentence fragment starting with a capital, no trailing period. */
	en: string;
	/** The vendor's Chinese text. */
	zh: string;
	/** What the user should do about it, for the common codes (a full sentence). */
	hint?: string;
	/**
	 * The platform answered with this code, and yet the request may have taken effect (an internal
	 * error in the middle of placing a call). Every other failure code means it was refused: nothing
	 * happened. Place Callback never sends such a request again within one execution.
	 */
	mayHaveTakenEffect?: true;
}

export const SUCCESS_CODE = '000000';

const HINT_TOP_UP =
	'Top up the balance in the UCPaaS console, then place the call again.';
const HINT_NUMBER_FORMAT =
	'Send phone numbers as digits only, without spaces, dashes or a leading +, e.g. 13800138000 for a mobile or 075512345678 for a landline with its area code.';
const HINT_CREDENTIAL =
	'Check the Account SID and Auth Token in the UCPaaS credential: copy both again from the account overview in the UCPaaS console.';
/** A wrong signature has two causes, and the user can check both. */
const HINT_SIGNATURE =
	'The Auth Token does not match the Account SID: copy both again from the account overview of the UCPaaS console (console: 开发者账号 / Auth Token). If they are right, check that the clock of the n8n host is correct.';
const HINT_ACCOUNT_STATE =
	'The UCPaaS account is not in a usable state: check it in the UCPaaS console or contact UCPaaS support.';
const HINT_APP_ID =
	'Check the App ID: it must be the 32-character ID of an application that belongs to this account, as shown in the UCPaaS console.';
const HINT_CLIENT_NOT_IN_APP =
	'The Client number is not known in this application: look it up by the mobile number (or create a Client for that mobile) in this App ID, and use the number returned.';
const HINT_CLIENT_NOT_BOUND =
	'The caller\'s Client number has no phone bound to it: use a Client created with the caller\'s mobile, or bind a mobile to it in the UCPaaS console.';
const HINT_PLATFORM_ERROR =
	'UCPaaS reported an internal error, and the request may have taken effect anyway. If it was placing a call, the phones may be ringing: do not place it again until the UCPaaS call records (or the Call Ended event) show it was not placed, since a second attempt can ring both people twice.';

export const RESP_CODES: Readonly<Record<string, RespCodeInfo>> = Object.freeze({
	// The vendor's page gives "ok" as the text of the success code.
	'000000': { en: 'Success', zh: 'ok' },

	// 100: common errors and balance
	'100000': { en: 'Amount is not an integer', zh: '金额不为整数' },
	'100001': {
		en: 'Insufficient balance',
		zh: '余额不足',
		hint: HINT_TOP_UP,
	},
	'100002': { en: 'Illegal number format', zh: '数字非法', hint: HINT_NUMBER_FORMAT },
	'100003': {
		en: 'Empty value not allowed',
		zh: '不允许有空值',
		hint: 'A required field was sent empty: fill in every required parameter.',
	},
	'100004': { en: 'Wrong enumeration value', zh: '枚举类型取值错误' },
	'100005': {
		en: 'Caller IP address not allowed',
		zh: '访问IP不合法',
		hint: 'Add the public (egress) IP address of the n8n host to the IP whitelist of the account in the UCPaaS console.',
	},
	'100006': { en: 'Illegal mobile number', zh: '手机号不合法', hint: HINT_NUMBER_FORMAT },
	'100007': { en: 'No data found', zh: '查无数据' },
	'100008': {
		en: 'Mobile number is empty',
		zh: '手机号码为空',
		hint: 'Provide the mobile number.',
	},
	'100009': {
		en: 'Protected number',
		zh: '手机号为受保护的号码',
		hint: 'The platform protects this number and will not call or message it: use another number, or ask UCPaaS support why it is protected.',
	},
	'100010': { en: 'Login email or mobile number is empty', zh: '登录邮箱或手机号为空' },
	'100011': { en: 'Illegal email address', zh: '邮箱不合法' },
	'100012': { en: 'Password must not be empty', zh: '密码不能为空' },
	'100013': { en: 'No test sub-account', zh: '没有测试子账号' },
	'100014': { en: 'Amount too large (at most 12 digits)', zh: '金额过大,不要超过12位数字' },
	'100015': { en: 'Illegal number', zh: '号码不合法', hint: HINT_NUMBER_FORMAT },
	// The server constants word it as 钱包不可用(被冻结/已注销) (wallet unusable: frozen or closed).
	'100016': { en: 'Balance frozen', zh: '余额被冻结', hint: HINT_ACCOUNT_STATE },
	'100017': { en: 'Balance closed', zh: '余额已注销', hint: HINT_ACCOUNT_STATE },
	'100018': {
		en: 'Call duration must exceed 60 seconds',
		zh: '通话时长需大于60秒',
		hint: 'Set the maximum call duration to more than 60 seconds, in whole minutes (e.g. 120), or leave it empty.',
	},
	'100019': {
		en: 'Application balance insufficient',
		zh: '应用餘額不足',
		hint: 'Top up the balance available to this application in the UCPaaS console, then place the call again.',
	},
	'100020': {
		en: 'Value too long',
		zh: '字符长度太长',
		hint: 'A value is longer than the platform allows: shorten it (User Data, for one, is limited to 128 bytes).',
	},
	'100104': { en: 'Call ID is empty', zh: 'callId不能为空' },
	'100105': { en: 'Wrong date format', zh: '日期格式错误' },
	// The server constants give 100108 as userInfoKey不能为空 (userInfoKey empty); the vendor's
	// page, the SDK tables and the project's notes all say 取消回拨失败, which is kept.
	'100108': {
		en: 'Cancelling the callback failed',
		zh: '取消回拨失败',
		hint: 'UCPaaS found no call it could cancel: usually the call has already ended (hung up, or cancelled before), or this App ID does not know the callId. If the call should still be ringing, check the callId and the App ID.',
	},
	'100500': {
		en: 'HTTP status not 200',
		zh: 'HTTP状态码不等于200',
		hint: HINT_PLATFORM_ERROR,
		mayHaveTakenEffect: true,
	},
	'100699': {
		en: 'Platform internal error',
		zh: '系统内部错误',
		hint: HINT_PLATFORM_ERROR,
		mayHaveTakenEffect: true,
	},

	// 100: server constants only
	'100021': { en: 'Contains illegal special characters', zh: '包含非法特殊字符' },
	'100106': {
		en: 'Password must be at most 8 characters, letters and digits only',
		zh: '密码的长度不能超过8位，且只有数字和字母',
	},
	'100107': { en: 'Changing the password failed', zh: '修改密码失败' },
	'100109': { en: 'Malformed userInfoKey', zh: 'userInfoKey格式错误' },

	// 101: account and authentication
	'101100': { en: 'Authorization header is empty', zh: '请求包头Authorization参数为空' },
	'101101': {
		en: 'Authorization header Base64 decoding failed',
		zh: '请求包头Authorization参数Base64解码失败',
	},
	'101102': {
		en: 'Account ID empty after decoding the Authorization header',
		zh: '请求包头Authorization参数解码后账户ID为空',
	},
	'101103': {
		en: 'Timestamp empty after decoding the Authorization header',
		zh: '请求包头Authorization参数解码后时间戳为空',
	},
	'101104': {
		en: 'Authorization header malformed after decoding',
		zh: '请求包头Authorization参数解码后格式有误',
	},
	'101105': {
		en: 'Account ID has illegal characters',
		zh: '主账户ID存在非法字符',
		hint: 'The Account SID in the credential contains characters other than letters and digits: copy it again from the UCPaaS console, without spaces.',
	},
	'101106': {
		en: 'Timestamp expired',
		zh: '请求包头Authorization参数解码后时间戳过期',
		hint: `The request timestamp was refused as expired (UCPaaS accepts one for ${TIMESTAMP_VALIDITY_MINUTES} minutes): check that the clock of the n8n host is correct (synchronised with NTP); the time zone does not matter.`,
	},
	'101107': {
		en: 'Wrong SoftVersion in the request path',
		zh: '请求地址SoftVersion参数有误',
		hint: 'The API version in the request path was refused: make sure the base URL is https://api.ucpaas.com with no extra path, and report the problem if it persists.',
	},
	'101108': { en: 'Main account closed', zh: '主账户已关闭', hint: HINT_ACCOUNT_STATE },
	'101109': { en: 'Main account not activated', zh: '主账户未激活', hint: HINT_ACCOUNT_STATE },
	'101110': { en: 'Main account locked', zh: '主账户已锁定', hint: HINT_ACCOUNT_STATE },
	'101111': { en: 'Main account does not exist', zh: '主账户不存在', hint: HINT_CREDENTIAL },
	'101112': {
		en: 'Main account ID empty',
		zh: '主账户ID为空',
		hint: 'Fill in the Account SID in the UCPaaS credential.',
	},
	'101113': {
		en: 'Account ID in the Authorization header differs from the one in the path',
		zh: '请求包头Authorization参数中账户ID跟请求地址中的账户ID不一致',
		hint: HINT_CREDENTIAL,
	},
	'101114': { en: 'Sig parameter is empty', zh: '请求地址Sig参数为空' },
	'101115': { en: 'Token check failed', zh: '请求token校验失败', hint: HINT_SIGNATURE },
	'101116': { en: 'Signature mismatch', zh: '主账号sig加密串不匹配', hint: HINT_SIGNATURE },
	'101117': { en: 'Token does not exist', zh: '主账号token不存在', hint: HINT_CREDENTIAL },

	// 101: server constants only
	'101118': {
		en: 'Main account or password wrong, or the account does not exist (new demo)',
		zh: '主账户/密码错误或者不存在新demo',
	},
	'101119': { en: 'Main account in an abnormal state', zh: '主账户状态异常' },
	'101120': { en: 'Main account registered but not activated', zh: '主账户注册未激活' },
	'101121': { en: 'Main account registration details not filled in', zh: '主账户未填写注册信息' },
	'101122': { en: 'Main account locked', zh: '主账户已锁定' },

	// 102: application
	'102100': { en: 'Application ID empty', zh: '应用ID为空', hint: HINT_APP_ID },
	'102101': { en: 'Application ID has illegal characters', zh: '应用ID存在非法字符', hint: HINT_APP_ID },
	'102102': { en: 'Application does not exist', zh: '应用不存在', hint: HINT_APP_ID },
	// The server constants word it as 应用未上线 (application not online).
	'102103': {
		en: 'Application not approved',
		zh: '应用未审核通过',
		hint: 'Check the App ID: this application has not passed review; use an approved application or get this one approved in the UCPaaS console.',
	},
	'102104': {
		en: 'A test application may not create Clients',
		zh: '测试应用不允许创建client',
		hint: 'Check the App ID: a test application cannot create Client numbers; use an application that is online.',
	},
	'102105': {
		en: 'Application does not belong to this account',
		zh: '应用不属于该主账号',
		hint: 'Check the App ID: it belongs to a different UCPaaS account than the Account SID in the credential.',
	},
	'102106': { en: 'Wrong application type', zh: '应用类型错误' },
	'102107': { en: 'Application type empty', zh: '应用类型为空' },
	'102108': { en: 'Application name empty', zh: '应用名为空' },
	'102109': { en: 'Industry type empty', zh: '行业类型为空' },
	'102110': { en: 'Wrong industry information', zh: '行业信息错误' },
	'102111': {
		en: 'Wrong value for whether international calls are allowed',
		zh: '是否允许拨打国际填写错误',
	},
	'102112': {
		en: 'Whether international calls are allowed must not be empty',
		zh: '是否允许拨打国际不能为空',
	},
	'102113': { en: 'Creating the application failed', zh: '创建应用失败' },
	'102114': { en: 'Application name already exists', zh: '应用名称已存在' },

	// 102: server constants only
	'102115': { en: 'Application not online', zh: '应用未上线' },
	'102116': { en: 'Application not approved', zh: '应用未审核通过' },
	'102117': { en: 'Application deleted', zh: '应用已删除' },
	'102118': { en: 'Application pending review', zh: '应用待审核状态' },
	'102119': { en: 'Application forced offline', zh: '应用强制下线' },

	// 103: Client sub-accounts
	'103100': { en: 'Client nickname empty', zh: '子账户昵称为空' },
	'103101': { en: 'Client name has illegal characters', zh: '子账户名称存在非法字符' },
	'103102': { en: 'Client nickname has a wrong length', zh: '子账户昵称长度有误' },
	'103103': { en: 'Client number empty', zh: '子账户clientNumber为空' },
	'103104': { en: 'Duplicate friendlyName in the same application', zh: '同一应用下，friendlyname重复' },
	'103105': {
		en: 'Client friendlyName may only contain letters, digits and underscores',
		zh: '子账户friendlyname只能包含数字和字母和下划线',
	},
	'103106': { en: 'Client number has a wrong length', zh: 'client_number长度有误' },
	'103107': {
		en: 'Client number does not exist or does not belong to this account',
		zh: 'client_number不存在或不属于该主账号',
		hint: HINT_CLIENT_NOT_IN_APP,
	},
	'103108': { en: 'Client closed', zh: 'client已经关闭' },
	'103109': { en: 'Client top-up failed', zh: 'client充值失败' },
	'103110': { en: 'Client billing type empty', zh: 'client计费类型为空' },
	'103111': { en: 'Client type (clientType) may only be 0 or 1', zh: 'clientType只能取值0,1' },
	'103112': { en: 'Charge amount must not be empty when clientType is 1', zh: 'clientType为1时，charge不能为空' },
	'103113': {
		en: 'Client number not bound to a mobile number',
		zh: 'clientNumber未绑定手机号',
		hint: HINT_CLIENT_NOT_BOUND,
	},
	'103114': {
		en: 'This mobile number is already bound in this application',
		zh: '同一应用下同一手机号只能绑定一次',
		hint: 'A Client already exists for this mobile in this application: look it up by the mobile number instead of creating a new one.',
	},
	'103115': { en: 'At most 100 records per query', zh: '单次查询记录数不能超过100' },
	'103116': { en: 'Binding the mobile number failed', zh: '绑定手机号失败' },
	// The SDK tables spell it "(isplay)"; the server constants have "(display)", kept here.
	'103117': { en: 'Client display flag must not be empty', zh: '子账号是否显号(display)不能为空' },
	'103118': {
		en: 'Client display flag may only be 0 (hide the number) or 1 (show it)',
		zh: '子账号是否显号(display)取值只能是0(不显号)和1(显号)',
	},
	'103119': {
		en: 'Client does not exist in this application',
		zh: '应用下该子账号不存在',
		hint: HINT_CLIENT_NOT_IN_APP,
	},
	'103120': { en: 'Friendly name must not be empty', zh: 'friendlyname不能为空' },
	'103121': { en: 'Client query parameters must not be empty', zh: '查询client参数不能为空' },
	'103122': {
		en: 'Client does not belong to the application',
		zh: 'client不属于应用',
		hint: HINT_CLIENT_NOT_IN_APP,
	},
	'103123': {
		en: 'An application not yet online may have at most 100 Clients',
		zh: '未上线应用不能超过100个client',
	},
	'103124': { en: 'Already enabled', zh: '已经是开通状态' },
	'103125': {
		en: 'Client balance insufficient',
		zh: '子账号余额不足',
		hint: 'Top up the balance of the caller\'s Client number (or the account balance) in the UCPaaS console, then place the call again.',
	},
	'103126': {
		en: 'An application not yet online may only call whitelisted numbers',
		zh: '未上线应用或demo只能使用白名单中号码',
		hint: 'The application is not online yet: add the numbers to call to the test whitelist in the UCPaaS console, or get the application approved.',
	},
	'103127': { en: 'A test demo may not create Clients', zh: '测试demo不能创建子账号' },
	'103128': { en: 'Verification code must not be empty', zh: '校验码不能为空' },
	'103129': { en: 'Verification code wrong or expired', zh: '校验码错误或失效' },
	'103130': { en: 'Number verification failed', zh: '校验号码失败' },
	'103131': {
		en: 'Unbinding failed: wrong information or no such binding',
		zh: '解绑失败,信息错误或不存在绑定关系',
	},

	// 103: server constants only
	'103132': { en: 'The application already has a super number', zh: '应用已经存在超级号码' },
	'103133': { en: 'The application has no super number', zh: '应用下没有超级号码' },
	'103134': { en: 'This operation may not act on super numbers', zh: '该接口没有权限操作超级号码' },

	// 104: calls
	'104100': {
		en: 'Caller Client number empty',
		zh: '主叫clientNumber为空',
		hint: 'Provide the caller\'s Client number.',
	},
	'104101': {
		en: 'Caller Client number not bound to a phone',
		zh: '主叫clientNumber未绑定手机号',
		hint: HINT_CLIENT_NOT_BOUND,
	},
	'104102': { en: 'Verification code empty', zh: '验证码为空' },
	'104103': {
		en: 'Illegal display number',
		zh: '显示号码不合法',
		hint: 'Check the display numbers: the one shown to the caller may only be a 400 number or a landline, the one shown to the callee a mobile, 400 number or landline; leave them empty if unsure.',
	},
	'104104': {
		en: 'Voice code must be 4–8 digits',
		zh: '语音验证码位4-8位',
		hint: 'Use a verification code of 4 to 8 digits.',
	},
	'104105': {
		en: 'Voice code must be 4–8 digits',
		zh: '语音验证码位4-8位',
		hint: 'Use a verification code of 4 to 8 digits.',
	},
	'104106': { en: 'Wrong voice notification type', zh: '语音通知类型错误' },
	'104107': { en: 'Voice notification content empty', zh: '语音通知内容为空' },
	'104108': { en: 'Illegal voice ID', zh: '语音ID非法' },
	'104109': { en: 'Storing the text content failed', zh: '文本内容存储失败' },
	'104110': {
		en: 'Voice file does not exist or is not approved',
		zh: '语音文件不存在或未审核',
		hint: 'Check the ringtone or voice ID: it must name an uploaded sound that has passed review in the UCPaaS console.',
	},
	'104111': { en: 'Number differs from the bound number', zh: '号码与绑定的号码不一致' },
	'104112': { en: 'Enabling or disabling call forwarding failed', zh: '开通或关闭呼转失败' },
	'104113': {
		en: 'The same callee cannot be called twice at the same time',
		zh: '不能同时呼叫同一被叫',
		hint: 'No call was placed by this request: the callee is already in a call placed earlier that has not ended yet. Wait until that call has ended (the Call Ended event) before calling this number, and do not place several calls to one number at once.',
	},
	'104114': { en: 'Content contains sensitive words', zh: '内容包含敏感词' },
	'104115': { en: 'A voice notification may use at most 5 voice IDs', zh: '语音通知发送多语音ID不能超过5个' },
	// Variants: "呼转模式只能取1,2,3,4" (one client) and "…只能取1,2,3" (server constants).
	'104116': {
		en: 'Offline forwarding mode may only be 1, 2, 3 or 4',
		zh: '不在线呼转模式只能取1,2,3,4',
	},
	'104117': {
		en: 'Forward number (forwardPhone) is required when the forwarding mode is 2 or 4',
		zh: '呼转模式为2,4则必须填写forwardPhone',
	},
	'104118': {
		en: 'With forwarding mode 2 or 4 the forward number must differ from the bound mobile',
		zh: '呼转模式为2,4则前转号码与绑定手机号码不能相等',
	},
	'104119': { en: 'Illegal group-chat list format', zh: '群聊列表格式不合法' },
	// Two clients shorten it to 群聊呼叫模式参数错误 (wrong group-chat call mode).
	'104120': {
		en: 'Group-chat call mode may only be 1 (free), 2 (direct dial) or 3 (smart dial)',
		zh: '群聊呼叫模式只能是1免费,2直拨,3智能拨打',
	},
	'104121': { en: 'Group-chat ID must not be empty', zh: '群聊ID不能为空' },
	'104122': { en: 'Group chat exceeds the maximum number of parties', zh: '群聊超过最大方数' },
	'104123': { en: 'Wrong group-chat ID sent', zh: '群聊ID发送错误' },
	'104124': { en: 'Group-chat operation failed (service error)', zh: '群聊操作失败服务出错' },
	'104125': { en: 'Forwarding number does not exist', zh: '呼转号码不存在' },
	'104126': { en: 'Order number must not be empty', zh: '订单号不能为空' },
	'104127': { en: 'Order number does not exist', zh: '订单号不存在' },
	'104128': {
		en: 'Releasing the number failed, or it was already released automatically',
		zh: '号码释放失败或号码已经自动释放',
	},
	'104129': {
		en: 'The displayed mobile must be one of the numbers in the call list',
		zh: '显手机号必须是呼叫列表中的号码',
	},
	'104130': {
		en: 'Caller and callee are the same',
		zh: '主被叫不能相同',
		hint: 'The caller\'s bound phone and the callee are the same number: call a different number.',
	},
	'104131': {
		en: 'Callback forbidden while international roaming is on',
		zh: '开通国际漫游禁止回拨呼叫',
		hint: 'The caller\'s phone has international roaming on, and callback calls are refused while it is: place the call once the caller is back on the home network, or use another caller.',
	},
	'104132': { en: 'Call ID is empty', zh: 'callid不能为空' },
	'104133': { en: 'Initiator must not be empty', zh: '发起者不能为空' },

	// 104: server constants only
	'104134': { en: 'Caller and callee must not both be empty', zh: '主被叫不能同时为空' },
	'104135': { en: 'Start time and end time must not be empty', zh: '开始时间结束时间不能为空' },
	'104136': { en: 'Field calla must not be empty', zh: 'calla不能为空' },

	// 105: SMS and voice code
	'105100': { en: 'SMS service request error', zh: '短信服务请求异常' },
	'105101': { en: 'Key URL parameter empty', zh: 'url关键参数为空' },
	'105102': { en: 'Illegal number', zh: '号码不合法', hint: HINT_NUMBER_FORMAT },
	'105103': { en: 'No channel category', zh: '没有通道类别' },
	'105104': { en: 'This category is frozen', zh: '该类别为冻结状态' },
	'105105': { en: 'Insufficient funds', zh: '没有足够金额', hint: HINT_TOP_UP },
	'105106': {
		en: 'Neither a domestic mobile number nor an international number',
		zh: '不是国内手机号码并且不是国际电话',
	},
	'105107': { en: 'Number is blacklisted', zh: '黑名单' },
	'105108': { en: 'Contains illegal keywords', zh: '含非法关键字' },
	'105109': { en: 'No third-party channel for this channel type', zh: '该通道类型没有第三方通道' },
	'105110': { en: 'SMS template ID does not exist', zh: '短信模板ID不存在' },
	'105111': { en: 'SMS template not approved', zh: '短信模板未审核通过' },
	'105112': {
		en: 'Number of template placeholders differs from the number of parameters',
		zh: '短信模板替换个数与实际参数个数不匹配',
	},
	'105113': { en: 'SMS template ID empty', zh: '短信模板ID为空' },
	'105114': { en: 'SMS content empty', zh: '短信内容为空' },
	'105115': { en: 'SMS type must be 1 character long', zh: '短信类型长度应为1' },
	'105116': {
		en: 'At most 3 identical messages to one user per day',
		zh: '同一天同一用户不能发超过3条相同的短信',
	},
	'105117': { en: 'Template ID has illegal characters', zh: '模板ID含非法字符' },
	'105118': {
		en: 'Template has placeholders but the parameters are empty',
		zh: '短信模板有替换内容，但参数为空',
	},
	'105119': {
		en: 'Template replacement too long (at most 70 characters)',
		zh: '短信模板替换内容过长，不能超过70个字符',
	},
	'105120': { en: 'At most 100 mobile numbers', zh: '手机号码不能超过100个' },
	'105121': { en: 'SMS template deleted', zh: '短信模板已删除' },
	'105122': {
		en: 'Daily limit of verification codes to one user reached (the limit is set by the account)',
		zh: '同一天同一用户不能发超过N条验证码(n为用户自己配置)',
	},
	'105123': { en: 'SMS template name empty', zh: '短信模板名称为空' },
	'105124': { en: 'SMS template content empty', zh: '短信模板内容为空' },
	'105125': { en: 'Creating the SMS template failed', zh: '创建短信模板失败' },
	'105126': { en: 'Wrong SMS template name', zh: '短信模板名称错误' },
	'105127': { en: 'Wrong SMS template content', zh: '短信模板内容错误' },
	'105128': { en: 'SMS template ID empty', zh: '短信模板id为空' },
	'105129': { en: 'SMS template ID does not exist', zh: '短信模板id不存在' },
	'105130': {
		en: 'The same content cannot be sent again within 30 seconds',
		zh: '30秒内不能连续发同样的内容',
	},
	'105131': {
		en: 'The same template cannot be sent to the same number within 30 seconds',
		zh: '30秒内不能给同一号码发送相同模板消息',
	},
	// Two clients say 100位 (100 characters); the vendor-table copies and the server constants say 10.
	'105132': {
		en: 'Verification-code SMS parameter at most 10 characters',
		zh: '验证码短信参数长度不能超过10位',
	},
	// The server constants say 1000 (and enforce 200 for now); the SDK tables say 500.
	'105133': {
		en: 'Template SMS at most 500 characters in total',
		zh: '模板短信整体长度不能超过500位',
	},
	'105134': {
		en: 'A self-signed SMS may hold only one pair of full-width square brackets, must not be only the signature, and the signature must come first or last',
		zh: '自签名短信内容只能包含一对【】且不能只有短信签名，短信签名只能在开头或结尾',
	},
	'105135': {
		en: 'An SMS that is not self-signed must not contain full-width square brackets',
		zh: '非自签短信内容中不允许出现【】',
	},
	'105136': {
		en: 'A self-signed SMS signature must be 2 to 12 characters',
		zh: '自签短信签名长度为2到12位',
	},
	'105137': { en: 'Every message of the bulk send failed', zh: '群发短信全部失败' },
	'105138': { en: 'Bulk SMS numbers must not repeat', zh: '群发短信号码不能重复' },
	'105139': { en: 'Resent SMS template is not well-formed', zh: '补发短信模板不规范' },
});

/** The documented meaning of a respCode, or undefined for a code the table does not know. */
export function describeRespCode(code: string): RespCodeInfo | undefined {
	const key = String(code).trim();
	return Object.prototype.hasOwnProperty.call(RESP_CODES, key) ? RESP_CODES[key] : undefined;
}
