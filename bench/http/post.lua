-- wrk: POST with an empty body (POST /visit).
wrk.method = "POST"
