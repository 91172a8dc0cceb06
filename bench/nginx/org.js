// A simulated org for the employee walk: 300 departments in a tree of fan-out 4 below the root
// (department 1), and 5,000 users spread over them, user<n> in department ((n - 1) mod 300) + 1.
const USERS = 5000;
const DEPARTMENTS = 300;
const FAN_OUT = 4;

function departmentOf(r) {
    return Number(JSON.parse(r.requestText).dept_id);
}

function answer(r, result) {
    r.headersOut['Content-Type'] = 'application/json';
    r.return(200, JSON.stringify({errcode: 0, errmsg: 'ok', request_id: 'bench', result: result}));
}

function listSub(r) {
    const parent = departmentOf(r);
    const children = [];
    const first = FAN_OUT * (parent - 1) + 2;
    for (let id = first; id < first + FAN_OUT && id <= DEPARTMENTS; id++) {
        children.push({dept_id: id, name: 'Department ' + id, parent_id: parent});
    }
    answer(r, children);
}

function listId(r) {
    const department = departmentOf(r);
    const userIds = [];
    for (let n = department; department <= DEPARTMENTS && n <= USERS; n += DEPARTMENTS) {
        userIds.push('user' + n);
    }
    answer(r, {userid_list: userIds});
}

export default {listSub, listId};
