// Fixed answers of the DingTalk APIs that bench/fleet.sh loads, by API path (the location's $api).
// Served from the content phase, so that limit_req (preaccess) has counted the call first.
const ANSWERS = {
    '/topapi/v2/user/get': JSON.stringify({errcode: 0, errmsg: 'ok', request_id: 'bench', result: {
        userid: 'user1001', unionid: 'union-user1001', name: 'Li Lei', mobile: '13800001001',
        email: 'li.lei@example.com', title: 'Engineer', job_number: 'E1001', dept_id_list: [2],
        leader_in_dept: [{dept_id: 2, leader: false}], role_list: [], manager_userid: 'manager4220',
        exclusive_account: false, active: true}}),
    '/topapi/user/getbyunionid': JSON.stringify({errcode: 0, errmsg: 'ok', request_id: 'bench', result: {
        contact_type: 0, userid: 'user1001'}})
};

function answer(r) {
    const body = ANSWERS[r.variables.api];
    r.headersOut['Content-Type'] = 'application/json';
    if (body === undefined) {
        r.return(404, JSON.stringify({errcode: 404, errmsg: 'not part of the fleet stand-in'}));
        return;
    }
    r.return(200, body);
}

export default {answer};
