// A simulated org for the directory mirror's full sync (bench/directory-sync.sh, and the mirror that
// bench/gateway-overhead.sh and bench/profile.sh read): 10,000 users in 501 departments, answered as
// DingTalk's topapi/v2/department/get, topapi/v2/department/listsub and topapi/v2/user/list do.
//
// Departments: the root 1 and 2..501 in a tree of fan-out 8 (parent of d: floor((d - 2) / 8) + 1).
// Users user1..user10000, each in one primary department, every fourth also in a second one:
//   - user1..user5000 in the 20 "large" departments 2..21, 250 each (three pages of user/list);
//   - user5001..user10000 spread over the 480 departments 22..501 (10 or 11 each);
//   - user<n> with n divisible by 4 also in 22 + (n / 4 mod 480), unless that is its primary one.
// The root has no members of its own. So a full sync costs 1 department/get, 501 listsub and
// 1 + 20 x 3 + 480 = 541 user/list calls (every department at least one page).
// bench/src/dev/dinggate/directory/StreamStandIn.java computes the same users for topapi/v2/user/get.
const USERS = 10000;
const DEPARTMENTS = 501;
const FAN_OUT = 8;
const LARGE_FIRST = 2;
const LARGE_COUNT = 20;
const LARGE_SIZE = 250;
const SMALL_FIRST = LARGE_FIRST + LARGE_COUNT;          // 22
const SMALL_COUNT = DEPARTMENTS - SMALL_FIRST + 1;      // 480
const SURNAMES = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao',
                  'Wu', 'Zhou', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu', 'Guo'];
const GIVEN = ['Wei', 'Fang', 'Na', 'Min', 'Jing', 'Li', 'Qiang', 'Lei', 'Jun', 'Yang',
               'Yong', 'Yan', 'Jie', 'Tao', 'Ming', 'Chao', 'Xiu', 'Xia', 'Ping', 'Gang',
               'Hui', 'Hong', 'Bo', 'Lin', 'Hua', 'Dan', 'Rui', 'Kai', 'Ning', 'Hao',
               'Yu', 'Xin', 'Lan', 'Ying', 'Bin', 'Peng', 'Zhen', 'Long', 'Feng', 'Yun'];
const TITLES = ['Engineer', 'Accountant', 'Sales manager', 'Designer', 'Analyst', 'Recruiter',
                'Support lead', 'Product owner'];

function primaryOf(n) {
    return n <= LARGE_COUNT * LARGE_SIZE
        ? LARGE_FIRST + Math.floor((n - 1) / LARGE_SIZE)
        : SMALL_FIRST + (n - LARGE_COUNT * LARGE_SIZE - 1) % SMALL_COUNT;
}

function secondOf(n) {
    if (n % 4 !== 0) {
        return 0;
    }
    const second = SMALL_FIRST + (n / 4) % SMALL_COUNT;
    return second === primaryOf(n) ? 0 : second;
}

function user(n) {
    const departments = [primaryOf(n)];
    if (secondOf(n)) {
        departments.push(secondOf(n));
    }
    return {
        userid: 'user' + n, unionid: 'union' + n,
        name: SURNAMES[n % SURNAMES.length] + ' ' + GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length],
        title: TITLES[n % TITLES.length], job_number: 'E' + String(100000 + n).substring(1),
        dept_id_list: departments, leader_in_dept: [{dept_id: departments[0], leader: false}],
        role_list: [], manager_userid: null, exclusive_account: false, active: true
    };
}

// The members of one department, in userId number order.
function membersOf(d) {
    const members = [];
    if (d >= LARGE_FIRST && d < SMALL_FIRST) {
        for (let n = (d - LARGE_FIRST) * LARGE_SIZE + 1; n <= (d - LARGE_FIRST + 1) * LARGE_SIZE; n++) {
            members.push(n);
        }
    } else if (d >= SMALL_FIRST && d <= DEPARTMENTS) {
        for (let n = LARGE_COUNT * LARGE_SIZE + 1 + (d - SMALL_FIRST); n <= USERS; n += SMALL_COUNT) {
            members.push(n);
        }
        for (let k = d - SMALL_FIRST; 4 * k <= USERS; k += SMALL_COUNT) {
            if (k > 0 && secondOf(4 * k) === d) {
                members.push(4 * k);
            }
        }
        members.sort((a, b) => a - b);
    }
    return members;
}

function department(d) {
    return d === 1 ? {dept_id: 1, name: 'Bench org', parent_id: 0}
                   : {dept_id: d, name: 'Department ' + d, parent_id: Math.floor((d - 2) / FAN_OUT) + 1};
}

function request(r) {
    return JSON.parse(r.requestText || '{}');
}

function answer(r, result) {
    r.headersOut['Content-Type'] = 'application/json';
    r.return(200, JSON.stringify({errcode: 0, errmsg: 'ok', request_id: 'bench', result: result}));
}

function departmentGet(r) {
    const d = Number(request(r).dept_id);
    if (d >= 1 && d <= DEPARTMENTS) {
        answer(r, department(d));
    } else {
        r.headersOut['Content-Type'] = 'application/json';
        r.return(200, JSON.stringify({errcode: 60003, errmsg: 'department not found', request_id: 'bench'}));
    }
}

function listSub(r) {
    const parent = Number(request(r).dept_id);
    const children = [];
    const first = FAN_OUT * (parent - 1) + 2;
    for (let d = first; d < first + FAN_OUT && d <= DEPARTMENTS; d++) {
        children.push(department(d));
    }
    answer(r, children);
}

function userList(r) {
    const body = request(r);
    const cursor = Number(body.cursor || 0);
    const size = Math.min(Number(body.size || 100), 100);
    const members = membersOf(Number(body.dept_id));
    const page = members.slice(cursor, cursor + size).map(user);
    const more = cursor + size < members.length;
    answer(r, more ? {has_more: true, next_cursor: cursor + size, list: page} : {has_more: false, list: page});
}

export default {departmentGet, listSub, userList};
